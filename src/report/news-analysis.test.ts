import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  analyzeNews,
  impactScore,
  LABEL_THRESHOLD,
  normaliseTitle,
  type NewsHeadlineInput,
  scoreHeadlineSentiment,
  type SentimentLabel,
} from './news-analysis.js';

const NEWS_FIXTURES = new URL('../../../shared/fixtures/news/', import.meta.url);

/** Title → lede text of the real fixture rows, so labels are checked as the pipeline scores them (title + text). */
interface FixtureRow {
  title: string;
  text: string;
  site: string;
  published_at: string;
}
function fixtureRows(symbol: string): FixtureRow[] {
  return parse<FixtureRow>(readFileSync(new URL(`${symbol}.csv`, NEWS_FIXTURES), 'utf8'), { columns: true });
}
const REAL = new Map<string, string>();
for (const symbol of ['NVDA', 'AAPL', 'TSLA', 'MSFT', 'COST', 'ORCL', 'DELL', 'NOW', 'SONY']) for (const row of fixtureRows(symbol)) if (!REAL.has(row.title)) REAL.set(row.title, row.text);

/**
 * Real headlines from NVDA.csv, AAPL.csv and TSLA.csv, quoted verbatim and labelled by hand (by reading the headline
 * as an investor in that company would) BEFORE the finance lexicon was tuned. Ambiguous headlines (mixed news,
 * good for a rival) were left out: these are the clear cases.
 */
const LABELLED: [SentimentLabel, string][] = [
  // Positive
  ['positive', 'NVIDIA Stock Surges on Bullish News: How High Could It Climb?'],
  ['positive', 'Apple Delivers Better-Than-Expected iPhone Sales, Announces $100B Buyback'],
  ['positive', 'Apple Q2 Earnings Beat Estimates, Services Drive Top-Line Growth'],
  ['positive', 'Nvidia Eases Concerns About China With Upbeat Sales Forecast'],
  ['positive', 'Hopper Is No Longer An Option, But That Is Okay: Upgrading Nvidia To A Buy'],
  ['positive', "Nvidia's earnings report was a 'victory,' analyst says"],
  ['positive', "Tesla's sale in Norway rises 213% year-on-year in May"],
  ['positive', 'Tesla May sales soar 675% in Australia even as global EV market slows'],
  ['positive', 'Apple App Store Sales Jump In May, Boosting Outlook For Services Growth'],
  ['positive', 'Tesla shares rise as Musk exits Trump White House'],
  ['positive', 'Recent Trade Deal Updates Bring Amazing News to Nvidia Stock Investors'],
  ['positive', 'Amazon, Tesla lead Mag 7 surge after easing US-China trade tensions'],
  ['positive', 'Nvidia Earnings: AI Giant Delivers Another Quarterly Sales Record Despite China Speed Bump'],
  ['positive', 'Why Big Tech stocks like Apple and Nvidia are still great'],
  ['positive', "KeyBanc's John Vinh on Nvidia Q1 results: There's meaningful upside from here going forward"],
  ['positive', "Apple's iPhone exports from India to US jumped 76% in push to avoid China tariffs"],
  ['positive', 'Tesla Stock Is Rising. The Trump Administration Is Helping With Robotaxis.'],
  ['positive', 'Nvidia beats estimates for Q1 results as revenues rise 69% from a year ago'],
  ['positive', 'Nvidia Stock Investors Just Got Good News From the Trump Administration'],
  ['positive', 'Nvidia Investors Just Got Great News From Meta Platforms'],
  ['positive', 'Bullish NVIDIA Market Set to Surge 50% Ahead of Q1 Earnings'],
  ['positive', "Apple's iPhone exports soar in India amid tariffs"],
  ['positive', "Apple Q2 Will Be 'Better-Than-Feared': Analyst Says iPhone Company Has 'Proven Track Record'"],
  ['positive', 'Apple beats on revenue, announces $100B buyback'],
  ['positive', "Nvidia earnings are set up to 'not disappoint': How to play options"],
  // Negative
  ['negative', 'Apple, Meta hit with massive fine'],
  ['negative', 'US judge rules Apple violated order to reform App Store'],
  ['negative', "Apple falls following Q2 report, says ‘very difficult' to predict tariff impact beyond June"],
  ['negative', 'Tesla Q1 Falls Far Short, Musk to Scale Back DOGE Involvement'],
  ['negative', 'Tesla earnings: Revenue falls 9.2% as disdain for Elon Musk and the unpopular DOGE seem to damage the EV brand'],
  ['negative', "Tesla's sales in key European markets plunge in April"],
  ['negative', 'Tesla sales in Europe continue to dive even after Model Y shift'],
  ['negative', "Tesla Stock Plunges 8% As Trump Suggests Musk Has ‘Trump Derangement Syndrome'"],
  ['negative', "Tesla Stock Plummets 17% As Musk's Feud With Trump Escalates"],
  ['negative', "Tesla, Palantir stocks fall: Trump vs. Musk feud sinks 'Trump trade' plays"],
  ['negative', 'TSLA Sales Slide 15% Y/Y in China, Continues Global Decline'],
  ['negative', "Tesla Among S&P's Big Losers: Q1 EPS Miss Puts TSLA In Bottom 10"],
  ['negative', 'Nvidia Q2 sales guidance could miss by billions on China chip ban, analysts warn'],
  ['negative', 'Trump Threatens Apple With 25% Tariff Unless It Starts Making iPhones In The U.S.'],
  ['negative', "Tariff news is really bad for Apple, says Big Technology's Alex Kantrowitz"],
  ['negative', "Apple's AI Failure Could Hurt the iPhone"],
  ['negative', "Russian court fines Apple for violating 'LGBT propaganda' law"],
  ['negative', "Tesla shares fall on report that company's board seeks new CEO to replace Elon Musk"],
  ['negative', 'Magnificent 7 Stocks Send a Dire Warning to Markets'],
  ['negative', "Little information from Apple on Siri AI upgrade 'disappointing', says Maxim's Tom Forte"],
  ['negative', "Tesla Earnings Preview: The Delay Of The 'Under $30k' Tesla Was A Big Disappointment"],
  ['negative', 'Apple, Meta Fined by EU, Ordered to Comply With Tech Competition Rules'],
  ['negative', 'Caution: Too Hot - Downgrading Nvidia To A Sell (Technical Analysis)'],
  ['negative', "Why I'm Downgrading Nvidia Ahead Of Its Q1"],
  ['negative', "Nvidia's stock is losing steam, and next week's earnings could underscore the risks"],
  ['negative', 'Nvidia faces a harsh reality ahead'],
  ['negative', 'Apple fined $571 million and Meta $228 million for breaching European Union antitrust rules'],
  ['negative', 'Apple shares fall after judge refers App Store case for possible criminal probe'],
  ['negative', 'Apple Stock Gets a Downgrade. Why It Looks Too Expensive.'],
  ['negative', 'Apple loses appeal in Epic Games antitrust battle'],
  ['negative', 'Apple Faces Mounting Challenges as Stock Slumps'],
  ['negative', 'Tesla misses on Q1 revenue and earnings'],
  ['negative', 'Developers Sue Apple for Failing to Comply With In-App Payments Order'],
  ['negative', 'Apple Stock Gets Downgrade From Wall Street Analyst'],
  ['negative', 'Needham downgrades Apple on weak iPhone cycle, AI lag and overvaluation concerns; share falls'],
  // Neutral
  ['neutral', 'Nvidia Earnings Preview: What to Watch for in AI, Chips'],
  ['neutral', "Cramer's week ahead: Earnings from Nvidia, Dell, Costco and Salesforce"],
  ['neutral', 'Magnificent 7 Shareholder Meetings to Provide Glimpse of Economy'],
  ['neutral', 'TSLA, GOOGL Call Diagonal Example Trades'],
  ['neutral', 'Tesla, Meta, Apple, Amazon, Google, Microsoft earnings analysis'],
  ['neutral', "Apple's New Design Language"],
  ['neutral', 'Top Stock Movers Now: Apple, Deckers Outdoor, Intuit, and More'],
  ['neutral', 'Should You Buy Tesla Stock Before June 12?'],
  ['neutral', 'Better Artificial Intelligence (AI) Stock: Nvidia vs. CoreWeave'],
  ['neutral', 'Options Corner: NVDA Example Trade'],
  ['neutral', 'Tesla Robotaxi Nearing Launch: Buy, Hold or Sell the Stock Now?'],
  ['neutral', 'How To Trade SPY, AAPL, MSFT, NVDA, GOOGL, META, TSLA Today'],
  ['neutral', 'Nvidia (NASDAQ: NVDA) Bull, Base, & Bear Price Prediction and Forecast (May 8)'],
  ["neutral", "Tesla's robotaxi launch is around the corner. Here's what we know."],
  ['neutral', "'Fast Money' traders talk what to expect from Apple's upcoming WWDC"],
  ['neutral', 'Nvidia modifies H20 chips for China amid shifting U.S. export stance'],
  ['neutral', 'Wall Street Price Prediction: Tesla’s Share Price Forecast for 2025'],
  ['neutral', 'Nvidia says it is not sending GPU designs to China after reports of new Shanghai operation'],
  ['neutral', 'What Analysts Think of Nvidia Stock Ahead of Earnings'],
  ['neutral', 'Nvidia reports earnings tomorrow. Here\'s the main issue on investors\' minds.'],
];

/**
 * A second sample (every 16th row of the same three files), labelled by hand after the first lexicon was written.
 * At first sight the method got 63/81 = 77.8%; general gaps it showed (surpass, "take a hit", "stunning" as an
 * intensifier, "--" as a clause break…) were then fixed, so this set is no longer unseen. Clear cases only.
 */
const HELD_OUT: [SentimentLabel, string][] = [
  ['positive', 'NVDA & Chips Stocks Jump, ARM Outlier After Earnings'],
  ['positive', 'Why Nvidia Stock Surged Higher Again Today'],
  ['positive', "Nvidia Stock's Rising After Tuesday Breakthrough"],
  ['positive', 'CoreWeave pops 60% this week on AI growth momentum, big Nvidia stake'],
  ['positive', 'NVIDIA-Backed CoreWeave Jumps 28%: Is It The Next Great AI Buy?'],
  ['positive', 'Nvidia shares pop on strong AI demand despite hit from China chip restrictions'],
  ['positive', 'Nvidia flexes AI muscle with record Q1, shrugs off China hit'],
  ['positive', 'Nvidia could see revenues grow up to 20% beyond 2025: Analyst talks major upside for chipmaker'],
  ['positive', "Nvidia is once again the world's most valuable company"],
  ['positive', 'These Catalysts Could Propel Nvidia Stock Higher'],
  ['positive', 'Apple Tops Wall Street Expectations With $24.78 Billion Profit'],
  ['positive', 'Apple (AAPL) Q2 Earnings and Revenues Surpass Estimates'],
  ['positive', 'Bullish Signals Mount as Q1 Earnings Surprise to the Upside'],
  ['positive', 'Tesla Stock Is Rising. Trump Changes to Auto Tariffs Should Help.'],
  ['positive', 'Tesla stock surges 6%: analyst sees more gains ahead'],
  ['positive', 'Tesla: Get Ready To See It Trading Above $400 Again'],
  ['positive', 'Tesla Investors Just Got Great News From CEO Elon Musk: The Stock Could Soar 1,300%.'],
  ['positive', 'Apple Intelligence gets even more powerful with new capabilities across Apple devices'],
  ['positive', 'Apple, Alphabet Lead $262B Buyback Binge On Wall Street'],
  ['negative', '7 Stocks Burn A $2.5 Trillion Hole In Portfolios — Including Yours'],
  ['negative', 'Apple fined $570 million and Meta $228 million for breaching EU law'],
  ['negative', 'Meta and Apple Hit With Almost $800 Million in Fines From the EU'],
  ['negative', 'Apple: Earnings Could Deliver A Big Upset As International Business Tumbles'],
  ['negative', 'Zino: AAPL\'s Tariff Impact, "Disturbing" & "Disappointing" Lack of Guidance'],
  ['negative', 'AAPL Returns to $200, Numerous Headwinds Add Pricing Pressure'],
  ['negative', 'Nvidia, Apple Face Bigger Risks From China Trade Talks Than Any Boost From UK Deal, Analyst Says'],
  ['negative', "Dow Jones and Nasdaq 100: US Stocks Slide on Trump's Apple and EU Tariff Push"],
  ['negative', "Trump threatens tariffs on Apple and Samsung if phones aren't made in the U.S."],
  ['negative', 'Apple and Nvidia Lose Popularity With Fund Managers. Here Are the Winners.'],
  ['negative', 'Apple and Samsung smartphone growth to take hit from tariff uncertainty: Counterpoint Research'],
  ['negative', 'Court denies Apple appeal in Epic Games case, keeping App Store changes in place'],
  ['negative', 'Apple Has Plummeted A Stunning 45% Vs. Mag 7 Since 2022'],
  ['negative', 'Apple faces iPhone demand headwinds as purchase intent falls in US and China'],
  ['negative', "Tesla Earnings Report Is 'Troubling,' Ross Gerber Says"],
  ['negative', 'Tesla (TSLA) Lags Q1 Earnings and Revenue Estimates'],
  ['negative', 'TSLA Q1 Earnings Miss Mark, Investors Pin Hopes on Robotaxi, Cheap EVs'],
  ['negative', "I'm Skeptical Of Tesla"],
  ['negative', 'Tesla Stock Is Falling Today -- Is This a Buying Opportunity?'],
  ['negative', "Tesla's 'Robotaxi' trademark refused for being too generic, TechCrunch reports"],
  ['negative', "China's BYD Outsells Tesla in Europe for First Time"],
  ['negative', 'Tesla Misses out on European EV Market Growth as Sales Halved Last Month'],
  ['negative', "Tesla's German car sales continue to decline in May"],
  ['negative', 'Tesla shares under pressure on fresh full self-driving safety concerns'],
  ['negative', "Tesla Stock Drops Over 5% As Trump Suggests Musk Has ‘Trump Derangement Syndrome'"],
  ['negative', 'TSLA Plunge Pins Pressure on SPX, VIX Seasonality Signals to Watch'],
  ['negative', 'Tesla stock dives as Trump and Musk feud over tax bill, Broadcom and Lululemon earnings'],
  ['negative', "NYC Comptroller: Elon Musk has wrecked Tesla's brand with potential buyers and the government"],
  ['negative', 'The Trump-Elon Musk Feud Creates More Problems for Tesla'],
  ['negative', 'Tesla Stock Is Falling. Will Investors Get Robotaxis This Week?'],
  ['neutral', 'Banking giant updates Nvidia stock price target'],
  ['neutral', 'Nvidia (NASDAQ: NVDA) Bull, Base, & Bear Price Prediction and Forecast (May 16)'],
  ['neutral', 'Example Options Trades: NVDA Expanding A.I. Ecosystem, HD Earnings Ahead'],
  ['neutral', 'Seeking Clues to Nvidia (NVDA) Q1 Earnings? A Peek Into Wall Street Projections for Key Metrics'],
  ['neutral', 'Invest $75K in Nvidia or Broadcom? A Strategy for Early Retirement'],
  ['neutral', "Here's A Way To Trade Options In AI Giant Nvidia With Results Just Ahead"],
  ['neutral', 'NVIDIA Announces Financial Results for First Quarter Fiscal 2026'],
  ['neutral', 'Nvidia (NVDA) Q1 Earnings: Taking a Look at Key Metrics Versus Estimates'],
  ['neutral', 'Analysts update Nvidia stock price target after earnings'],
  ['neutral', 'Options Corner: NVDA, BAC, ZBRA'],
  ['neutral', 'Here is What to Know Beyond Why NVIDIA Corporation (NVDA) is a Trending Stock'],
  ['neutral', 'The biggest questions facing Big Tech ahead of earnings'],
  ['neutral', 'Should You Buy Apple Stock Before May 1?'],
  ['neutral', "6 key takeaways from Apple's second-quarter earnings call"],
  ['neutral', 'Apple Considers Move to AI-Powered Search Engines'],
  ['neutral', 'Final Trade: AAPL, NKE, XLP'],
  ['neutral', "What the Changes in Apple's App Store Mean for iPhone Users"],
  ['neutral', 'Apple vs. HP: Which PC Maker Stock is a Better Buy Right Now?'],
  ['neutral', 'Wall Street AI predicts Apple stock price'],
  ['neutral', 'Apple to change the way it names operating systems, report says'],
  ['neutral', 'Trade Talks In London; Apple Takes Center Stage With WWDC'],
  ['neutral', 'Sales volumes and demand will be important to watch in Tesla earnings, says former Ford CEO'],
  ['neutral', 'Insiders reveal how Tesla is preparing for its June robotaxi launch'],
  ['neutral', 'Investors Heavily Search Tesla, Inc. (TSLA): Here is What You Need to Know'],
  ['neutral', 'Where Will Tesla Be in 10 Years?'],
  ['neutral', 'Should You Buy Tesla Stock With $1,000 and Hold for 20 Years?'],
  ['neutral', 'Tesla to add Chipotle executive Jack Hartung to board'],
  ['neutral', 'Elon Musk on Tesla, Starlink, Protests, Politics, AI'],
  ['neutral', "The 'Investment Club' debates about where Tesla's stock goes from here"],
  ['neutral', 'Tesla to deliver first self-driving Model Y car in June, Musk says'],
  ['neutral', 'Trump says automakers, Tesla must build cars, parts in US'],
  ['neutral', 'Will Costco Be the Next Stock to Split in 2025?'],
];

/**
 * A third sample from four OTHER companies' files (every 20th row of MSFT, COST, ORCL, DELL), labelled by hand before
 * scoring. At first sight 56/72 = 77.8%; general gaps (pop, lift, "shares up", "cut workforce", "drops challenge",
 * "sales growth eases") were then fixed, so this set is no longer unseen either. See UNSEEN for that figure.
 */
const OTHER_COMPANIES: [SentimentLabel, string][] = [
  ['positive', 'Meta, Microsoft reports lift AI-related stocks'],
  ['positive', 'Nasdaq to head Wall Street rally after Microsoft and Meta earnings beats'],
  ['positive', 'Microsoft and Meta shares up post-earnings results, AI trade winners'],
  ['positive', "FTC drops final challenge to Microsoft's $69B Activision Blizzard deal"],
  ['positive', 'Microsoft CTO says the number of people using AI agents doubled in the last year'],
  ['positive', "Microsoft's new chip is a 'Superman moment' for quantum computing"],
  ['positive', 'Costco Stock Keeps Rising Despite Its Valuation. Should You Buy?'],
  ['positive', 'Costco Stock Up 35% YTD: Harvest Gains or Stay Bullish on COST?'],
  ['positive', 'Costco Unharmed By Subscription Hike As Retailer Beats Street Forecast'],
  ['positive', 'Costco Powers Past Wall Street Expectations, Boasts Double-Digit E-Commerce Gains'],
  ['positive', 'Costco Strike Averted After Last-Minute Agreement Reached With Teamsters Union'],
  ['positive', 'Costco Q3 Earnings Beat Estimates, E-Commerce Comp Sales Rise'],
  ['positive', 'Oracle shares jump as cloud growth fuels strong results'],
  ['positive', 'Oracle Named a Leader in the 2024 Gartner® Magic Quadrant™ for Analytics and Business Intelligence Platforms'],
  ['positive', 'Oracle Recognized as a Leader in the 2025 IDC MarketScape Report for Worldwide Public Cloud Infrastructure as a Service'],
  ['positive', "Here's Why Dell Stock Could Rally Another 30%"],
  ['positive', "Elon Musk's xAI build-up plan sparks gains by Dell and Super Micro"],
  ['positive', 'Dell, Palantir Stocks Pop After S&P 500 Nod'],
  ['positive', 'This Dell Analyst Begins Coverage On A Bullish Note; Here Are Top 5 Initiations For Tuesday'],
  ['positive', 'Why Dell Shares Are a Screaming Buy in November'],
  ['positive', 'Dell Shifts Its Business Model And The Future Growth Looks More Promising'],
  ['positive', 'Future Tech Named Dell Technologies 2025 Federal Partner of the Year'],
  ['negative', 'AI, China DeepSeek latest: Microsoft Cancels US Data Center Leases, Analyst Says'],
  ['negative', "Trump's FTC moves ahead with broad Microsoft antitrust probe, reports say"],
  ['negative', "The Magnificent 7's lousy year, by the numbers"],
  ['negative', 'Microsoft is cutting 3% of all workers'],
  ['negative', 'Microsoft to Cut 3% of Workforce While Reducing Management Layers'],
  ['negative', "Microsoft Feels the Heat as ‘Carbon Negative' Goal Looms Nearer"],
  ['negative', "Costco stock's steep valuation raises concerns: is it time to sell?"],
  ['negative', "Costco Teamsters Vote To Strike, Challenging Costco's Pro-Worker Stance"],
  ['negative', 'Republican state attorneys pressure Costco to drop diversity policies'],
  ['negative', "Costco's monthly sales growth continues to ease"],
  ['negative', "The 4 Biggest Risks to Costco's (COST) Dividend Yield"],
  ['negative', 'Oracle misses quarterly revenue estimates'],
  ['negative', "Oracle's Sales Miss Estimates. Its CEO Expects AI-Driven Growth."],
  ['negative', 'DELL Loses 11% in a Week: Should Investors Buy the Dip?'],
  ['negative', 'Dell Stock Slides After Revenue Falls Short of Estimates'],
  ['negative', 'Why Dell Technologies Stock Is Down 9% In A Day?'],
  ['negative', 'DELL Dives as Investors Eye A.I. Server Maker'],
  ['negative', "Dell's staff numbers have dropped by 25,000 in just 2 years"],
  ['negative', '3 Big Data Stocks to Sell in July Before They Crash & Burn'],
  ['neutral', 'Investors Heavily Search Microsoft Corporation (MSFT): Here is What You Need to Know'],
  ['neutral', 'Here is What to Know Beyond Why Microsoft Corporation (MSFT) is a Trending Stock'],
  ['neutral', 'Microsoft: What To Consider, Ahead Of The Q2-25 Earnings Event'],
  ['neutral', 'NBIS vs. MSFT: Which AI Infrastructure Stock is the Better Buy?'],
  ['neutral', 'Microsoft Chief Product Officer on the AI Shift'],
  ['neutral', "Is Costco's (COST) Stock a Buy as Earnings Approach"],
  ['neutral', 'Costco Wholesale Corporation (COST) Q4 2024 Earnings Call Transcript'],
  ['neutral', 'Should You Buy, Hold or Sell Costco Stock After Q4 Earnings?'],
  ['neutral', "Cramer's Stop Trading: Walmart & Costco"],
  ['neutral', 'Should Investors Buy or Hold Costco After December Sales Results?'],
  ['neutral', 'Is Costco Stock a Buy in March 2025?'],
  ['neutral', 'Costco Wholesale Corporation Reports April Sales Results'],
  ['neutral', 'Best Stock to Buy Right Now: Costco vs. Realty Income'],
  ['neutral', 'Is It Too Late to Buy Costco Stock Now?'],
  ['neutral', 'Oracle Corporation has released the following notice'],
  ['neutral', 'Investors Heavily Search Oracle Corporation (ORCL): Here is What You Need to Know'],
  ['neutral', 'Oracle and Broadcom: Two Key Earnings To Watch Out This Week'],
  ['neutral', 'Oracle (ORCL) Q2 Earnings: Taking a Look at Key Metrics Versus Estimates'],
  ['neutral', 'Final Trade: GLD, NEE, ORCL, MP'],
  ['neutral', "Oracle set to report Q3 earnings: Here's what to expect"],
  ['neutral', 'Oracle Releases Java 24'],
  ['neutral', 'The Big 3: TJX, VTR, ORCL'],
  ['neutral', 'Better Cloud AI Stock: Oracle vs. Datadog'],
  ['neutral', 'Dell Technologies (DELL) Q2 Earnings: Taking a Look at Key Metrics Versus Estimates'],
  ['neutral', 'Dell Technologies Inc. (DELL) Citi 2024 Global TMT Conference Call (Transcript)'],
  ['neutral', 'DELL Set to Report Q3 Earnings: Buy, Sell or Hold the Stock?'],
  ['neutral', 'A.I. in Tech: CRWD, DELL, HPQ'],
  ['neutral', 'Investors Heavily Search Dell Technologies Inc. (DELL): Here is What You Need to Know'],
  ['neutral', 'What Analysts Think of Dell Stock Ahead of Earnings'],
  ['neutral', 'Apple vs. Dell Technologies: Which PC Maker Stock is a Better Buy?'],
  ['neutral', 'Dell Technologies to Hold Conference Call May 29 to Discuss First Quarter Fiscal 2026 Financial Results'],
];

/**
 * The last sample, from two files no earlier step looked at (NOW, SONY), labelled after ALL tuning was finished and
 * scored once: no lexicon change was made after seeing these results. Repeated identical titles (law-firm
 * press releases) are listed once.
 */
const UNSEEN: [SentimentLabel, string][] = [
  ['positive', 'ServiceNow Named a Worldwide Leader in IDC MarketScape for Multicloud and Hybrid Cloud Management With Automation'],
  ['positive', 'ServiceNow debuts as a Leader in P&C Claims Management Systems report by independent research firm'],
  ['positive', 'ServiceNow Stock Soars as AI Demand Boosts Subscription Revenue'],
  ['positive', 'What Makes ServiceNow (NOW) a Strong Momentum Stock: Buy Now?'],
  ['positive', 'ServiceNow (NOW) Exceeds Market Returns: Some Facts to Consider'],
  ['positive', 'Is ServiceNow (NOW) a Solid Growth Stock? 3 Reasons to Think "Yes"'],
  ['positive', 'Why ServiceNow Stock Bumped Higher on Hump Day'],
  ['positive', 'Why ServiceNow Stock Is Gaining Today'],
  ['positive', 'ServiceNow Bumps Up Annual Guidance as Government Business Grows'],
  ['positive', 'ServiceNow CFO talks big earnings beat, AI impacts'],
  ['positive', 'Sony numbers buoyed by mobile phone camera surge'],
  ['positive', 'Why Sony (SONY) is a Top Momentum Stock for the Long-Term'],
  ['positive', 'Wall Street Bulls Look Optimistic About Sony (SONY): Should You Buy?'],
  ['positive', 'Why the Market Dipped But Sony (SONY) Gained Today'],
  ['positive', "Sony's Q2 game/network service sales rise 12% to $7.01B"],
  ['positive', 'Sony raises guidance on gaming strength, quarterly operating profit beats estimates'],
  ['positive', 'Sony (SONY) Moves to Buy: Rationale Behind the Upgrade'],
  ['positive', "Sony (SONY) Increases Despite Market Slip: Here's What You Need to Know"],
  ['positive', "Here's Why Sony (SONY) is a Strong Value Stock"],
  ['positive', "Spider-Man Helps Sony's Columbia Pictures Swing To $24 Million Profit"],
  ['positive', 'Is Sony (SONY) a Buy as Wall Street Analysts Look Optimistic?'],
  ['positive', 'Why Sony (SONY) Outpaced the Stock Market Today'],
  ['positive', 'Sony shares rise about 2% in volatile trading following share buyback announcement'],
  ['positive', 'Sony Should Appreciate And Potentially Break Out'],
  ['negative', 'ServiceNow Stock Is Sliding on a Downgrade to Sell Ahead of Earnings'],
  ['negative', 'ServiceNow, Inc. (NOW) Investigation: Bronstein, Gewirtz & Grossman, LLC Encourages Investors to Seek Compensation for Alleged Wrongdoings'],
  ['negative', 'SHAREHOLDER ALERT: Pomerantz Law Firm Investigates Claims On Behalf of Investors of ServiceNow, Inc. - NOW'],
  ['negative', 'ATTENTION ServiceNow, Inc. Investors: You May Have Been Affected by Fraud- Contact Levi & Korsinsky to Discuss Your Rights'],
  ['negative', 'NOW ALERT: Levi & Korsinsky Reminds Investors of an Investigation Involving Possible Securities Fraud Violations by ServiceNow, Inc.'],
  ['negative', 'NOW SHAREHOLDER ALERT: Bronstein, Gewirtz and Grossman, LLC Announces an Investigation into ServiceNow, Inc. and Encourages Stockholders to Contact the Firm!'],
  ['negative', 'Why ServiceNow (NOW) Dipped More Than Broader Market Today'],
  ['negative', 'ServiceNow: The Start Of A Deeper Correction (Rating Downgrade)'],
  ['negative', "ServiceNow (NOW) Stock Sinks As Market Gains: Here's Why"],
  ['negative', 'ServiceNow (NOW) Stock Declines While Market Improves: Some Information for Investors'],
  ['negative', 'Sony Layoffs 2024: What to Know About the Latest Job Cuts at Bungie'],
  ['negative', 'Why Sony Stock Is Stuck Today -- Down 3%'],
  ['negative', 'Sony (SONY) Falls More Steeply Than Broader Market: What Investors Need to Know'],
  ['negative', 'PlayStation Network Status: Are PSN Servers Still Down? Sony Remains Weirdly Silent On Outage'],
  ['negative', 'Sony downgraded to Peer Perform from Outperform at Wolfe Research'],
  ['neutral', "The Zacks Analyst Blog ServiceNow, Interactive Brokers and Pilgrim's"],
  ['neutral', 'Is It Too Late to Buy ServiceNow Stock?'],
  ['neutral', 'Chart of the day: ServiceNow'],
  ['neutral', 'ServiceNow, Inc. (NOW) Barclays 22nd Annual Global Technology Conference (Transcript)'],
  ['neutral', 'Here is What to Know Beyond Why ServiceNow, Inc. (NOW) is a Trending Stock'],
  ['neutral', 'Should ServiceNow Stock Be in Your Portfolio Pre-Q4 Earnings?'],
  ['neutral', 'Visa to Use ServiceNow Dispute Management Tools'],
  ['neutral', 'The Zacks Analyst Blog NVIDIA, Exxon Mobil, ServiceNow and Willis Lease Finance'],
  ['neutral', 'Should You Buy, Sell or Hold ServiceNow Stock Before Q1 Earnings?'],
  ['neutral', 'Is Trending Stock ServiceNow, Inc. (NOW) a Buy Now?'],
  ['neutral', 'Investors Heavily Search Sony Corporation (SONY): Here is What You Need to Know'],
  ['neutral', 'Sony Corporation (SONY) Is a Trending Stock: Facts to Know Before Betting on It'],
  ['neutral', 'Is Sony Stock a Buy Ahead of Its Stock Split?'],
  ['neutral', 'Better Stock-Split Stock: Sony vs. MicroStrategy'],
  ['neutral', 'Sony Corporation (SONY) is Attracting Investor Attention: Here is What You Should Know'],
  ['neutral', 'Sony Interactive Entertainment Launches PlayStation 5 Pro'],
  ['neutral', 'Sony Group Corporation (SONY) Q2 2024 Earnings Call Transcript'],
  ['neutral', "Sony Is Working on a PS5 Portable Console to Rival Nintendo's Switch, Report Says"],
  ['neutral', "Sony Unveils Pricing Of Afeela Electric Vehicle: Here's How Much EV From PlayStation Maker Will Cost"],
  ['neutral', 'Sony Corp. and PlayStation have new leadership'],
  ['neutral', 'SONY Gears Up to Report Q3 Earnings: Is a Beat in the Cards?'],
  ['neutral', 'Sony Group Corporation (SONY) Q3 2024 Earnings Call Transcript'],
  ['neutral', 'Sony Interactive Entertainment Announces Lynn Azar Appointed Senior Vice President, Finance, Corporate Development and Strategy'],
  ['neutral', "Sony Pictures extends Rothman's contract as CEO of its motion picture group"],
  ['neutral', 'Sony to reportedly outline financial arm strategy ahead of spin-off'],
  ['neutral', 'Can Sony and Honda Take On Tesla?'],
  ['neutral', 'Sony to launch Japanese crypto exchange S.BLOX following Amber acquisition'],
];

function accuracyOf(set: [SentimentLabel, string][]): { accuracy: number; misses: string[] } {
  const misses: string[] = [];
  for (const [expected, title] of set) {
    const got = scoreHeadlineSentiment(title, REAL.get(title));
    if (got.label !== expected) misses.push(`${expected} → ${got.label} (${got.score}): ${title}`);
  }
  return { accuracy: 1 - misses.length / set.length, misses };
}

describe('sentiment on real fixture headlines', () => {
  it('uses only headlines that are really in the fixtures, verbatim', () => {
    expect(LABELLED.length).toBeGreaterThanOrEqual(30);
    for (const [, title] of [...LABELLED, ...HELD_OUT, ...OTHER_COMPANIES, ...UNSEEN]) expect(REAL.has(title), title).toBe(true);
    const first = new Set(LABELLED.map(([, t]) => t));
    expect(HELD_OUT.filter(([, t]) => first.has(t))).toEqual([]);
    const counts = { positive: 0, negative: 0, neutral: 0 };
    for (const [label] of LABELLED) counts[label]++;
    expect(Math.min(counts.positive, counts.negative, counts.neutral)).toBeGreaterThanOrEqual(10);
  });

  it('labels the hand-labelled headlines (title + real lede) with at least 90% accuracy', () => {
    const misses: string[] = [];
    for (const [expected, title] of LABELLED) {
      const got = scoreHeadlineSentiment(title, REAL.get(title));
      if (got.label !== expected) misses.push(`${expected} → ${got.label} (${got.score}): ${title}`);
    }
    const accuracy = 1 - misses.length / LABELLED.length;
    console.info(`news sentiment: ${LABELLED.length - misses.length}/${LABELLED.length} = ${(accuracy * 100).toFixed(1)}%`, misses);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    expect(misses).toEqual([]);
  });

  it('labels a second sample (77.8% at first sight, before the gaps it showed were fixed)', () => {
    const { accuracy, misses } = accuracyOf(HELD_OUT);
    console.info(`held-out: ${HELD_OUT.length - misses.length}/${HELD_OUT.length} = ${(accuracy * 100).toFixed(1)}%`, misses);
    expect(accuracy).toBeGreaterThanOrEqual(0.8);
  });

  it('labels other companies’ headlines (77.8% at first sight, before the gaps they showed were fixed)', () => {
    const { accuracy, misses } = accuracyOf(OTHER_COMPANIES);
    console.info(`other companies: ${OTHER_COMPANIES.length - misses.length}/${OTHER_COMPANIES.length} = ${(accuracy * 100).toFixed(1)}%`, misses);
    expect(accuracy).toBeGreaterThanOrEqual(0.8);
  });

  it('labels headlines never used for tuning at about 77% (measured once, 51/66)', () => {
    const { accuracy, misses } = accuracyOf(UNSEEN);
    console.info(`unseen: ${UNSEEN.length - misses.length}/${UNSEEN.length} = ${(accuracy * 100).toFixed(1)}%`, misses);
    expect(accuracy).toBeGreaterThanOrEqual(0.75);
  });

  it('gets the same labels from the titles alone', () => {
    const misses = LABELLED.filter(([expected, title]) => scoreHeadlineSentiment(title).label !== expected).map(([, t]) => t);
    expect(misses).toEqual([]);
  });
});

describe('scoreHeadlineSentiment', () => {
  it('scores finance words AFINN lacks or gets wrong', () => {
    expect(scoreHeadlineSentiment('Acme shares plunge after guidance cut').label).toBe('negative');
    expect(scoreHeadlineSentiment('Acme raises full-year guidance').label).toBe('positive');
    expect(scoreHeadlineSentiment('Acme fined by regulator').label).toBe('negative'); // AFINN: "fine" +2
    expect(scoreHeadlineSentiment('Acme recalls 50,000 vehicles').label).toBe('negative');
    expect(scoreHeadlineSentiment('Acme announces layoffs').label).toBe('negative');
    expect(scoreHeadlineSentiment('Acme posts record revenue').label).toBe('positive');
    expect(scoreHeadlineSentiment('Acme upgraded to outperform').label).toBe('positive');
    expect(scoreHeadlineSentiment('Acme downgraded to underweight').label).toBe('negative');
    expect(scoreHeadlineSentiment('Acme shares like those of peers are worth a look').label).toBe('neutral'); // AFINN: like +2, worth +2
  });

  it('flips the next sentiment term after not / no / never / n’t / fails to, within the clause', () => {
    expect(scoreHeadlineSentiment('Acme beats estimates').label).toBe('positive');
    expect(scoreHeadlineSentiment('Acme fails to beat estimates').label).toBe('negative');
    expect(scoreHeadlineSentiment('Acme shares rally').label).toBe('positive');
    expect(scoreHeadlineSentiment('Acme shares do not rally').label).toBe('negative');
    expect(scoreHeadlineSentiment('Acme results disappoint').label).toBe('negative');
    expect(scoreHeadlineSentiment('Acme results are set up to not disappoint').label).toBe('positive');
    expect(scoreHeadlineSentiment('Acme plans layoffs').label).toBe('negative');
    expect(scoreHeadlineSentiment('No layoffs planned at Acme, CEO says').label).toBe('positive');
    expect(scoreHeadlineSentiment("Acme won't cut jobs this year").label).toBe('positive');
    expect(scoreHeadlineSentiment('Acme never misses estimates').label).toBe('positive');
    // "fails to" with nothing scored after it is bad news on its own.
    expect(scoreHeadlineSentiment('Acme fails to comply with court order').label).toBe('negative');
    // The scope ends at punctuation: "nothing" does not reach across the colon.
    expect(scoreHeadlineSentiment('Nothing new: Acme shares plunge').label).toBe('negative');
  });

  it('weighs the title first: the lede can tip a leaning title but not label a neutral one or undo a clear one', () => {
    const glowing = 'Record revenue, strong growth, great results and an upbeat outlook; shares surge.';
    const grim = 'Shares plunge after a terrible quarter, weak demand and a lawsuit.';
    expect(scoreHeadlineSentiment('Acme to hold annual meeting in May', glowing).label).toBe('neutral');
    expect(scoreHeadlineSentiment('Acme shares plunge', glowing).label).toBe('negative');
    expect(scoreHeadlineSentiment('Acme shares rise', grim).label).toBe('positive');
    expect(scoreHeadlineSentiment('Acme stock dips').label).toBe('neutral'); // one weak word
    expect(scoreHeadlineSentiment('Acme stock dips', grim).label).toBe('negative'); // … tipped by the lede
  });

  it('keeps the score in (-1, 1) and the label consistent with the stated threshold', () => {
    for (const title of [...REAL.keys()].slice(0, 400)) {
      const { label, score } = scoreHeadlineSentiment(title, REAL.get(title));
      expect(Math.abs(score)).toBeLessThan(1);
      expect(label).toBe(score >= LABEL_THRESHOLD ? 'positive' : score <= -LABEL_THRESHOLD ? 'negative' : 'neutral');
    }
  });
});

const END = '2025-06-09T17:00:00.000Z';
const hoursBefore = (hours: number, from = END) => new Date(Date.parse(from) - hours * 3_600_000).toISOString();
function headline(title: string, hoursAgo: number, extra: Partial<NewsHeadlineInput> = {}): NewsHeadlineInput {
  return { title, published_at: hoursBefore(hoursAgo), site: 'example.com', url: `https://example.com/${encodeURIComponent(title)}/${hoursAgo}`, text: null, ...extra };
}

describe('impactScore', () => {
  it('is independent of the label: a big negative story has high impact, a mild positive one low', () => {
    const lawsuit = headline('Acme hit with class-action lawsuit as CEO resigns; shares plunge after earnings miss', 2, { site: 'reuters.com' });
    const listicle = headline('3 great stocks to buy and hold', 2, { site: 'fool.com' });
    expect(scoreHeadlineSentiment(lawsuit.title).label).toBe('negative');
    expect(scoreHeadlineSentiment(listicle.title).label).toBe('positive');
    const high = impactScore(lawsuit, { now: END });
    const low = impactScore(listicle, { now: END });
    expect(high).toBeGreaterThanOrEqual(80);
    expect(low).toBeLessThan(50);
    // Mirror images differ in sign, not in impact.
    const up = impactScore(headline('Acme shares surge after earnings beat', 5, { site: 'cnbc.com' }), { now: END });
    const down = impactScore(headline('Acme shares plunge after earnings miss', 5, { site: 'cnbc.com' }), { now: END });
    expect(Math.abs(up - down)).toBeLessThanOrEqual(3);
  });

  it('adds stated components: events (max 40), recency (25 over 7 days), sentiment strength (20), publisher (15 / 8)', () => {
    const plain = headline('Acme to hold annual meeting', 0);
    expect(impactScore(plain, { now: END })).toBe(25); // just published: full recency, nothing else
    expect(impactScore({ ...plain, published_at: hoursBefore(84) }, { now: END })).toBe(13); // half-way: 12.5
    expect(impactScore({ ...plain, published_at: hoursBefore(24 * 8) }, { now: END })).toBe(0);
    expect(impactScore({ ...plain, site: 'https://www.reuters.com/' }, { now: END })).toBe(40);
    expect(impactScore({ ...plain, site: 'seekingalpha.com' }, { now: END })).toBe(33);
    // earnings (15) + deal (15) + analyst (12) + legal (12) → capped at 40, plus recency 25.
    const events = headline('Acme earnings: merger probe and downgrade', 0);
    expect(impactScore(events, { now: END }) - Math.round(20 * Math.abs(scoreHeadlineSentiment(events.title).score))).toBeGreaterThanOrEqual(64);
    for (const title of [...REAL.keys()].slice(0, 300)) {
      const value = impactScore({ title, published_at: hoursBefore(1), site: 'reuters.com', url: '', text: REAL.get(title) }, { now: END });
      expect(Number.isInteger(value) && value >= 0 && value <= 100).toBe(true);
    }
  });
});

describe('analyzeNews', () => {
  it('keeps the top items by impact then recency, within the window, and labels from sentiment (not impact)', () => {
    const result = analyzeNews(
      [
        headline('Acme to hold annual meeting', 1),
        headline('Acme hit with lawsuit; shares plunge after earnings miss and downgrade', 30, { site: 'reuters.com' }),
        headline('Acme beats earnings estimates and raises guidance', 20, { site: 'cnbc.com' }),
        headline('Acme names new CFO', 50), // leadership event (10) + recency (17.6) beats the fresher meeting (24.9)
        headline('Acme names new head of design', 49),
        headline('Acme shares rise', 100),
      ],
      { windowEnd: END, maxItems: 3 },
    );
    expect(result.window_days).toBe(7);
    expect(result.window_end).toBe(END);
    expect(result.items.map((i) => i.title)).toEqual([
      'Acme hit with lawsuit; shares plunge after earnings miss and downgrade',
      'Acme beats earnings estimates and raises guidance',
      'Acme names new CFO',
    ]);
    const [bad, good] = result.items;
    expect(bad!.sentiment_label).toBe('negative');
    expect(bad!.impact_score).toBeGreaterThanOrEqual(70); // the reference would have called this "positive"
    expect(good!.sentiment_label).toBe('positive');
    expect(bad!.source).toBe('reuters.com');
    // Same impact: the newer first.
    const tie = analyzeNews([headline('Acme names new CFO', 50), headline('Acme names new CEO', 50 - 1e-6)], { windowEnd: END, maxItems: 2 });
    expect(tie.items[0]!.impact_score).toBe(tie.items[1]!.impact_score);
    expect(tie.items.map((i) => i.title)).toEqual(['Acme names new CEO', 'Acme names new CFO']);
    expect(result.overall_sentiment!.count).toBe(6);
  });

  it('dedupes by normalised title (case, punctuation, whitespace), keeping the earliest copy', () => {
    expect(normaliseTitle("  Acme’s Shares JUMP -- 5%!  ")).toBe(normaliseTitle("acme's shares jump 5%"));
    const result = analyzeNews(
      [
        headline('ACME SHARES JUMP 5% AFTER EARNINGS', 2, { url: 'https://wire.example/copy-2' }),
        headline('Acme shares jump 5% after earnings', 10, { url: 'https://original.example/' }),
        headline('Acme shares jump 5%, after earnings.', 5, { url: 'https://wire.example/copy-1' }),
        headline('Acme shares  jump 5% after   earnings', 24 * 9, { url: 'https://old.example/' }), // outside the window
        headline('Acme names new CFO', 3),
      ],
      { windowEnd: END },
    );
    expect(result.deduplicated).toBe(2);
    expect(result.overall_sentiment!.count).toBe(2);
    const jump = result.items.find((i) => /jump/i.test(i.title))!;
    expect(jump.url).toBe('https://original.example/');
    expect(jump.published_at).toBe(hoursBefore(10));
  });

  it('cuts at the window: (end − days, end], nothing after the end', () => {
    const items = [
      headline('At the end', 0),
      headline('After the end', -1),
      headline('Just inside', 24 * 7 - 0.01),
      headline('Exactly at the start', 24 * 7),
      headline('Older', 24 * 10),
    ];
    const week = analyzeNews(items, { windowEnd: END });
    expect(week.items.map((i) => i.title).sort()).toEqual(['At the end', 'Just inside']);
    const twoWeeks = analyzeNews(items, { windowEnd: END, windowDays: 14, maxItems: 10 });
    expect(twoWeeks.items.map((i) => i.title).sort()).toEqual(['At the end', 'Exactly at the start', 'Just inside', 'Older']);
    expect(twoWeeks.window_days).toBe(14);
    const none = analyzeNews(items, { windowEnd: hoursBefore(24 * 30) });
    expect(none).toEqual({ window_days: 7, window_end: hoursBefore(24 * 30), items: [], overall_sentiment: null, deduplicated: 0 });
    expect(analyzeNews([], { windowEnd: END }).overall_sentiment).toBeNull();
    expect(() => analyzeNews(items, { windowEnd: 'yesterday' })).toThrow(RangeError);
    expect(() => analyzeNews(items, { windowEnd: END, windowDays: 0 })).toThrow(RangeError);
  });

  it('reports overall_sentiment over all deduplicated in-window headlines, percentages summing to 100', () => {
    const titles = { positive: 'Acme shares surge', neutral: 'Acme to hold annual meeting', negative: 'Acme shares plunge' };
    for (let p = 0; p <= 4; p++) {
      for (let u = 0; u <= 4; u++) {
        for (let n = 0; n <= 4; n++) {
          if (p + u + n === 0) continue;
          const list: NewsHeadlineInput[] = [];
          let k = 0;
          for (const [label, count] of [['positive', p], ['neutral', u], ['negative', n]] as const) {
            for (let i = 0; i < count; i++) list.push(headline(`${titles[label]} (${++k})`, k));
          }
          const overall = analyzeNews(list, { windowEnd: END, maxItems: 1 }).overall_sentiment!;
          expect(overall.count).toBe(p + u + n);
          expect(Math.abs(overall.positive_pct + overall.neutral_pct + overall.negative_pct - 100)).toBeLessThan(1e-9);
          expect(Math.abs(overall.positive_pct - (100 * p) / (p + u + n))).toBeLessThanOrEqual(0.1);
          expect(Math.abs(overall.negative_pct - (100 * n) / (p + u + n))).toBeLessThanOrEqual(0.1);
        }
      }
    }
    const thirds = analyzeNews([headline(titles.positive, 1), headline(titles.neutral, 2), headline(titles.negative, 3)], { windowEnd: END });
    expect(thirds.overall_sentiment).toEqual({ positive_pct: 33.4, neutral_pct: 33.3, negative_pct: 33.3, count: 3 });
  });

  it('summarises a real week of NVDA news', () => {
    const rows = fixtureRows('NVDA').map((r) => ({
      title: r.title,
      // The fixture's times are US Eastern without a zone; +4 h (EDT) is good enough here (csv-news.ts does it properly).
      published_at: new Date(Date.parse(`${r.published_at.replace(' ', 'T')}Z`) + 4 * 3_600_000).toISOString(),
      site: r.site,
      url: 'https://example.com/',
      text: r.text,
    }));
    const result = analyzeNews(rows, { windowEnd: '2025-05-30T00:00:00.000Z' }); // the week of the Q1 results
    expect(result.items).toHaveLength(5);
    const overall = result.overall_sentiment!;
    expect(overall.count).toBeGreaterThan(100);
    expect(overall.positive_pct + overall.neutral_pct + overall.negative_pct).toBeCloseTo(100, 9);
    expect(overall.positive_pct).toBeGreaterThan(overall.negative_pct); // a record quarter
    for (const item of result.items) expect(item.impact_score).toBeGreaterThanOrEqual(result.items.at(-1)!.impact_score);
    console.info('NVDA week to 2025-05-30:', overall, result.items.map((i) => `${i.impact_score} ${i.sentiment_label} ${i.source}: ${i.title}`));
  });
});
