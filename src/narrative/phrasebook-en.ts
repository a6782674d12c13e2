/**
 * English phrasebook of the template writer: short, plain analyst sentences; no digits anywhere (indicator periods
 * are named in words), every number a placeholder. Several phrasings per slot; the writer picks one per ticker.
 */
import type { StanceDriver } from '../report/semantic-states.js';
import { ph, type Candidate, type LevelKey, type WriterContext } from './template-kit.js';

const LEVEL: Record<LevelKey, string> = {
  SMA_20: 'short-term moving average',
  SMA_50: 'medium-term moving average',
  SMA_200: 'long-term moving average',
  BB_LOWER: 'lower Bollinger band',
  BB_UPPER: 'upper Bollinger band',
  LOW_52W: 'one-year low',
  HIGH_52W: 'one-year high',
};

function list(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function driverPhrase(d: StanceDriver, c: WriterContext): string {
  switch (d.state) {
    case 'trend':
      return {
        strong_up: 'a textbook uptrend across all its moving averages',
        up: 'a price holding above most of its moving averages',
        sideways: 'a sideways drift around the moving averages',
        down: 'a price stuck below most of its moving averages',
        strong_down: 'a textbook downtrend across all its moving averages',
      }[d.value]!;
    case 'macd_momentum':
      if (d.value === 'weakening') {
        return c.macdPositive ? 'a MACD that is still positive but slipping under its signal line' : 'a MACD that is still negative but back above its signal line';
      }
      return {
        strengthening_bullish: 'a positive MACD that is still widening over its signal line',
        bullish: 'a positive MACD',
        bearish: 'a negative MACD',
        strengthening_bearish: 'a negative MACD that is still sinking under its signal line',
      }[d.value]!;
    case 'rsi_zone':
      return {
        oversold: 'an oversold RSI',
        approaching_oversold: 'weak momentum on RSI',
        neutral: 'a neutral RSI',
        approaching_overbought: 'firm buying momentum on RSI',
        overbought: 'intense buying momentum on RSI',
      }[d.value]!;
    case 'range_position':
      return {
        near_low: 'a price near its one-year low',
        lower_half: 'a price stuck in the lower half of its one-year range',
        upper_half: 'a price in the upper half of its one-year range',
        near_high: 'a price pressing against its one-year high',
      }[d.value]!;
    case 'news_tone':
      return { positive: 'mostly positive news', neutral: 'a neutral news flow', mixed: 'mixed news', negative: 'mostly negative news' }[d.value]!;
    case 'peer_relative':
      return {
        outperforming: 'a better month than its peers',
        in_line: 'a month in line with its peers',
        underperforming: 'a weaker month than its peers',
      }[d.value]!;
  }
}

function story(c: WriterContext): Candidate[] {
  const N = c.name;
  const out: Candidate[] = [];
  const P = '{PRICE}[[ ({CHANGE_PCT})]]';
  if (c.inputs.dataSource === 'demo') {
    out.push({
      section: 'story',
      slot: 'story.demo',
      priority: 0,
      paragraph: 0,
      variants: ['> **Demo data:** this report is computed from synthetic prices generated offline, not real market data. Use it only to try the system out.'],
    });
  }
  const open: Record<string, string[]> = {
    strong_up: [
      `${N} closed at ${P} and trades above its short, medium and long-term moving averages, which are stacked in rising order: a textbook uptrend.`,
      `The big picture for ${N} is a healthy uptrend. It closed at ${P}, above every moving average, and the averages themselves line up from short to long in rising order.`,
      `${N} remains firmly in an uptrend, closing at ${P}, {PRICE_VS_SMA_50} from its medium-term average, with every average stacked in rising order.`,
    ],
    up: [
      `${N} closed at ${P}. The trend still leans up: price holds above most of its moving averages, though they are not yet neatly stacked.`,
      `${N} closed at ${P} and is keeping its uptrend intact, trading {PRICE_VS_SMA_50} from its medium-term average.`,
      `${N} is still on an upward path. It closed at ${P}, above most of its key averages, if not yet in a full-blown uptrend.`,
    ],
    sideways: [
      `${N} closed at ${P} and is drifting around its moving averages, with neither buyers nor sellers in control.`,
      `${N} has been moving without direction lately. It closed at ${P}, and its moving averages point different ways.`,
      `At ${P}, ${N} is consolidating: its moving averages are not lined up either way, so there is no trend to speak of yet.`,
    ],
    down: [
      `${N} closed at ${P}. The main trend is still down, with price below most of its moving averages and buyers lacking the strength to turn it.`,
      `${N} has yet to recover. It closed at ${P}, below most of its key moving averages.`,
      `${N} remains on a downward path, closing at ${P}, {PRICE_VS_SMA_50} from its medium-term average.`,
    ],
    strong_down: [
      `${N} closed at ${P}, below its short, medium and long-term moving averages, which are stacked in falling order: a textbook downtrend.`,
      `The big picture for ${N} is a clear downtrend. It closed at ${P}, below every moving average, and the averages line up from short to long in falling order.`,
      `Sellers remain firmly in charge of ${N}. It closed at ${P}, {PRICE_VS_SMA_200} from its long-term average, with every average stacked in falling order.`,
    ],
    unknown: [
      `${N} closed at ${P}; its price history is still too short for the moving averages to show a trend.`,
      `${N} last traded at ${P}, but there is not yet enough history for the moving averages to say much about the trend.`,
    ],
  };
  out.push({ section: 'story', slot: 'story.open', priority: 0, paragraph: 1, variants: open[c.states.trend]! });

  out.push({
    section: 'story',
    slot: 'story.returns',
    priority: 2,
    paragraph: 1,
    variants: [
      'Over the past month it has moved {RETURN_1M}[[, and {RETURN_3M} over three months]][[; year to date it stands at {RETURN_YTD}]].',
      'Its one-month return is {RETURN_1M}[[, against {RETURN_3M} over three months]][[ and {RETURN_1Y} over a year]].',
      'Looking back three months, the price has moved {RETURN_3M}[[, and {RETURN_1M} over the latest month]][[; year to date it is {RETURN_YTD}]].',
    ],
  });

  const range: Record<string, string[]> = {
    near_high: [
      'It now trades close to its one-year high of {HIGH_52W}, just {FROM_HIGH_52W_PCT} below it.',
      'Price has climbed to within reach of its one-year high at {HIGH_52W}, the next big test.',
    ],
    upper_half: [
      'Within its one-year range of {LOW_52W} to {HIGH_52W}, it sits in the upper part, {FROM_HIGH_52W_PCT} below the high.',
      'It holds in the upper half of its one-year range, {FROM_HIGH_52W_PCT} short of the {HIGH_52W} high.',
    ],
    lower_half: [
      'Within its one-year range of {LOW_52W} to {HIGH_52W}, it sits in the lower half, {FROM_HIGH_52W_PCT} below the high.',
      'It is still in the lower half of its one-year range, {FROM_LOW_52W_PCT} above the {LOW_52W} low.',
    ],
    near_low: [
      'It has slid close to its one-year low of {LOW_52W}, only {FROM_LOW_52W_PCT} above it.',
      'Price is now near its one-year low at {LOW_52W}, {FROM_HIGH_52W_PCT} below its high of {HIGH_52W}.',
    ],
  };
  if (range[c.states.range_position]) {
    const edge = c.states.range_position === 'near_high' || c.states.range_position === 'near_low';
    out.push({ section: 'story', slot: 'story.range', priority: edge ? 1 : 3, paragraph: 1, variants: range[c.states.range_position]! });
  }

  const vol: Record<string, string[]> = {
    low: ['Volatility is low: the average daily range is about {ATR_PCT} of the price.', 'Trading has been calm, with an average daily range of about {ATR_PCT}.'],
    normal: ['Volatility is normal, with an average daily range of about {ATR_PCT} of the price.', 'Day-to-day swings are ordinary, about {ATR_PCT} on average.'],
    high: [
      'Volatility is running high: the average daily range is about {ATR_PCT}, and recent annualised volatility is {VOLATILITY_30D}.',
      'The price has been swinging harder than usual, about {ATR_PCT} a day on average.',
    ],
    extreme: [
      'Volatility is extreme: the average daily range is about {ATR_PCT}, and recent annualised volatility has reached {VOLATILITY_30D}.',
      'Swings are unusually violent, about {ATR_PCT} a day on average.',
    ],
  };
  if (vol[c.states.volatility_regime]) {
    const loud = c.states.volatility_regime === 'high' || c.states.volatility_regime === 'extreme';
    out.push({ section: 'story', slot: 'story.vol', priority: loud ? 1 : 3, paragraph: 1, variants: vol[c.states.volatility_regime]! });
  }
  return out;
}

function know(c: WriterContext): Candidate[] {
  const out: Candidate[] = [];
  const it = c.isEtf ? 'the fund' : 'the stock';
  const rsi: Record<string, string[]> = {
    oversold: [
      'RSI is at {RSI}, in oversold territory: the selling has been heavy enough that a bounce could come at any time, though nothing confirms a reversal yet.',
      'RSI has dropped to {RSI}, deep in oversold territory, a stretch that is often followed by a short-term rebound.',
    ],
    approaching_oversold: ['RSI is at {RSI}, close to oversold, which shows buyers are still weak.', 'At {RSI}, RSI points to soft momentum and is nearing oversold territory.'],
    neutral: ['RSI is at {RSI}, a middle reading that is neither hot nor weak.', 'RSI sits at {RSI}, in the neutral zone, with no unusual buying or selling pressure.'],
    approaching_overbought: [
      'RSI is at {RSI}, showing solid buying momentum as it nears overbought territory.',
      'RSI has climbed to {RSI}: buyers are still in charge, but overbought territory is getting close.',
    ],
    overbought: [
      'RSI has reached {RSI}, in overbought territory; the price has run fast enough that a pause is likely.',
      'RSI is at {RSI}, overbought: buying has been intense, and that is often when prices stall or pull back.',
    ],
  };
  if (rsi[c.states.rsi_zone]) out.push({ section: 'know', slot: 'know.rsi', priority: 0, variants: rsi[c.states.rsi_zone]! });

  const p = c.facts.RSI_PERCENTILE?.value;
  const period = c.yearLookback ? 'over the past year' : 'in its recent history';
  if (p !== undefined && p >= 80) {
    out.push({ section: 'know', slot: 'know.rsi_pct', priority: 4, variants: [`That is higher than about {RSI_PERCENTILE} of its readings ${period}.`] });
  } else if (p !== undefined && p <= 20) {
    out.push({ section: 'know', slot: 'know.rsi_pct', priority: 4, variants: [`Only about {RSI_PERCENTILE} of its readings ${period} were this low or lower.`] });
  }

  const macd: Record<string, string[]> = {
    strengthening_bullish: [
      'MACD is above zero and still widening over its signal line, so upside momentum is building.',
      'Momentum is accelerating: MACD is positive and pulling further above its signal line.',
    ],
    bullish: [
      'MACD is positive and hugging its signal line, so upside momentum is intact but not accelerating.',
      'MACD stays above zero, close to its signal line: steady rather than accelerating momentum.',
    ],
    weakening: c.macdPositive
      ? [
          'MACD is still positive but has slipped below its signal line, an early sign that upside momentum is fading.',
          'Although MACD remains above zero, it has dropped under its signal line, so the upward push is losing steam.',
        ]
      : [
          'MACD is still negative but has moved back above its signal line, a sign that selling pressure is easing.',
          'MACD remains below zero, yet it has climbed back over its signal line: the selling is losing force.',
        ],
    bearish: ['MACD is negative and close to its signal line, so downside pressure has not gone away.', 'MACD stays below zero near its signal line: the pressure is still to the downside.'],
    strengthening_bearish: [
      'MACD is negative and still sinking below its signal line, with no sign yet of the downside momentum easing.',
      'Momentum keeps deteriorating: MACD is below zero and falling further under its signal line.',
    ],
  };
  if (macd[c.states.macd_momentum]) out.push({ section: 'know', slot: 'know.macd', priority: 0, variants: macd[c.states.macd_momentum]! });

  const avg = 'the one-month average';
  const volume: Record<string, string[]> = {
    very_low: [`Volume was very thin, just {VOLUME_RATIO} ${avg}.`, `Trading dried up, with volume at only {VOLUME_RATIO} ${avg}.`],
    low: [`Volume was light at {VOLUME_RATIO} ${avg}, so the latest move lacks conviction.`, `Volume stayed below par at {VOLUME_RATIO} ${avg}.`],
    normal: [`Volume was ordinary at {VOLUME_RATIO} ${avg}.`, `Volume was in line with ${avg} ({VOLUME_RATIO}).`],
    high:
      c.day === 'up'
        ? [`Volume ran above normal at {VOLUME_RATIO} ${avg} on an up day, which backs the buying.`]
        : c.day === 'down'
          ? [`Volume ran above normal at {VOLUME_RATIO} ${avg} on a down day, which gives the selling weight.`]
          : [`Volume ran above normal at {VOLUME_RATIO} ${avg}, a sign of growing interest in ${it}.`],
    surge:
      c.day === 'up'
        ? [`Volume surged to {VOLUME_RATIO} ${avg} on an up day, a sign of heavy buying.`]
        : c.day === 'down'
          ? [`Volume surged to {VOLUME_RATIO} ${avg} on a down day, a sign of heavy selling.`]
          : [`Volume surged to {VOLUME_RATIO} ${avg}, an unusual burst of interest in ${it}.`],
  };
  if (volume[c.states.volume]) {
    const loud = c.states.volume === 'surge' || c.states.volume === 'very_low';
    out.push({ section: 'know', slot: 'know.volume', priority: loud ? 1 : 3, variants: volume[c.states.volume]! });
  }

  const news = c.inputs.news;
  const tone: Record<string, string[]> = {
    positive: [
      'On the news front, {NEWS_POSITIVE_PCT} of the latest {NEWS_COUNT} headlines were positive and {NEWS_NEGATIVE_PCT} negative, so the tone is supportive.',
      'The news flow leans positive: of {NEWS_COUNT} recent headlines, {NEWS_POSITIVE_PCT} were good news and only {NEWS_NEGATIVE_PCT} bad.',
    ],
    negative: [
      'On the news front, {NEWS_NEGATIVE_PCT} of the latest {NEWS_COUNT} headlines were negative against {NEWS_POSITIVE_PCT} positive, so the tone is a headwind.',
      'The news flow leans negative: of {NEWS_COUNT} recent headlines, {NEWS_NEGATIVE_PCT} were bad news and only {NEWS_POSITIVE_PCT} good.',
    ],
    mixed: [
      'News has been mixed: of {NEWS_COUNT} recent headlines, {NEWS_POSITIVE_PCT} were positive and {NEWS_NEGATIVE_PCT} negative, so the market has no shared view yet.',
      'The headlines pull both ways, with {NEWS_POSITIVE_PCT} positive and {NEWS_NEGATIVE_PCT} negative among the latest {NEWS_COUNT}.',
    ],
    neutral: [
      'Most of the latest {NEWS_COUNT} headlines were routine, with {NEWS_POSITIVE_PCT} positive and {NEWS_NEGATIVE_PCT} negative, so the news sets no direction.',
      'The news tone is neutral: among {NEWS_COUNT} recent headlines, positive ({NEWS_POSITIVE_PCT}) and negative ({NEWS_NEGATIVE_PCT}) stories roughly balance.',
    ],
  };
  if (tone[c.states.news_tone]) {
    out.push({ section: 'know', slot: 'know.news', priority: 0, paragraph: 1, variants: tone[c.states.news_tone]! });
  } else if (news === null) {
    out.push({ section: 'know', slot: 'know.news', priority: 1, paragraph: 1, variants: ['No news was available for this run, so this view rests on price signals alone.'] });
  } else if (c.facts.NEWS_COUNT) {
    out.push({ section: 'know', slot: 'know.news', priority: 1, paragraph: 1, variants: ['There are {NEWS_COUNT} recent headlines, but no overall tone has been scored for them, so this view rests on price signals.'] });
  } else {
    out.push({ section: 'know', slot: 'know.news', priority: 1, paragraph: 1, variants: ['There has been no notable news lately, so this view rests on price signals alone.'] });
  }

  const group = '{PEER_COUNT} peers whose prices move with it';
  const peers: Record<string, string[]> = {
    outperforming: [
      `Against ${group}, its one-month return beat the group median ({RETURN_VS_PEERS}).`,
      'It has had a better month than its closest peers, ahead of their median by {RETURN_VS_PEERS}.',
    ],
    in_line: [`Against ${group}, its one-month return is close to the group median ({RETURN_VS_PEERS}).`, 'Its month has been in line with its closest peers ({RETURN_VS_PEERS} against their median).'],
    underperforming: [
      `Against ${group}, its one-month return trails the group median ({RETURN_VS_PEERS}).`,
      'It has had a weaker month than its closest peers, {RETURN_VS_PEERS} against their median.',
    ],
  };
  if (peers[c.states.peer_relative]) {
    out.push({ section: 'know', slot: 'know.peers', priority: c.states.peer_relative === 'in_line' ? 3 : 1, paragraph: 1, variants: peers[c.states.peer_relative]! });
  }
  if (c.topPeer) {
    const peer = c.topPeer.name;
    out.push({
      section: 'know',
      slot: 'know.top_peer',
      priority: 5,
      paragraph: 1,
      variants: [`The closest mover is ${peer}, with a correlation of {TOP_PEER_CORRELATION}.`, `It tracks ${peer} most closely (correlation {TOP_PEER_CORRELATION}).`],
    });
  }
  return out;
}

function action(c: WriterContext): Candidate[] {
  const out: Candidate[] = [];
  const d = c.decision;
  const rec = `**${d.recommendation}**`;
  const conf = d.confidence;
  out.push({
    section: 'action',
    slot: 'action.call',
    priority: 0,
    variants: [`Our call today is ${rec}, with ${conf} confidence.`, `We rate ${c.name} a ${rec} today, with ${conf} confidence.`, `Today's view: ${rec}, with ${conf} confidence.`],
  });

  if (d.stance !== 'neutral') {
    const reasons = list(c.supporting.slice(0, 3).map((x) => driverPhrase(x, c)));
    if (reasons) {
      out.push({
        section: 'action',
        slot: 'action.reasons',
        priority: 0,
        variants:
          d.recommendation === 'HOLD'
            ? [`The underlying picture is ${d.stance === 'bullish' ? 'positive' : 'negative'}, with ${reasons}.`, `Most signals still lean ${d.stance === 'bullish' ? 'positive' : 'negative'}: ${reasons}.`]
            : [`The call rests on ${reasons}.`, `What supports it: ${reasons}.`, `The case is built on ${reasons}.`],
      });
    }
    if (c.opposing) {
      const opp = driverPhrase(c.opposing, c);
      out.push({ section: 'action', slot: 'action.opposing', priority: 2, variants: [`The main argument against it is ${opp}.`, `One thing does not fit: ${opp}.`] });
    }
  } else {
    const up = d.drivers.filter((x) => x.contribution > 0).sort((a, b) => b.contribution - a.contribution)[0];
    const down = d.drivers.filter((x) => x.contribution < 0).sort((a, b) => a.contribution - b.contribution)[0];
    if (up && down) {
      const a = driverPhrase(up, c);
      const b = driverPhrase(down, c);
      out.push({
        section: 'action',
        slot: 'action.reasons',
        priority: 0,
        variants: [`The signals cancel out: on one side ${a}, on the other ${b}.`, `The picture is balanced, with ${a} on the plus side and ${b} on the minus side.`],
      });
    } else {
      const flat = list(d.drivers.filter((x) => x.contribution === 0).slice(0, 2).map((x) => driverPhrase(x, c)));
      out.push({
        section: 'action',
        slot: 'action.reasons',
        priority: 0,
        variants: flat
          ? [`Most signals are neutral, including ${flat}.`, `Nothing points clearly either way, as ${flat} show.`]
          : ['There are too few signals to lean either way.'],
      });
    }
  }

  if (d.caveats.includes('overbought')) {
    out.push({ section: 'action', slot: 'action.caveat', priority: 0, variants: ['We stop short of buying because RSI is overbought: chasing the price now risks paying up at a short-term top.'] });
  } else if (d.caveats.includes('oversold')) {
    out.push({ section: 'action', slot: 'action.caveat', priority: 0, variants: ['We stop short of selling because RSI is oversold: prices often bounce after a flush like this.'] });
  } else if (d.caveats.includes('low_confidence')) {
    out.push({
      section: 'action',
      slot: 'action.caveat',
      priority: 0,
      variants: [
        d.stance === 'bullish'
          ? 'The balance tilts positive, but the signals disagree or data is missing, so it is not strong enough to buy on.'
          : 'The balance tilts negative, but the signals disagree or data is missing, so it is not strong enough to sell on.',
      ],
    });
  }

  const sup = c.support;
  const res = c.resistance;
  const entry = c.entry;
  let plan: string[];
  if (d.recommendation === 'BUY') {
    plan = sup
      ? [
          `Investors without a position could build one gradually rather than all at once, and treat the ${LEVEL[sup]} around ${ph(sup)} as the line to review if it breaks.`,
          `Scaling in over several days beats buying in one go; a close below the ${LEVEL[sup]} near ${ph(sup)} would be the signal to reassess.`,
        ]
      : ['Investors without a position could build one gradually rather than all at once, with a stop decided in advance.'];
  } else if (d.recommendation === 'SELL') {
    plan = res
      ? [
          `Holders should trim, ideally into bounces toward the ${LEVEL[res]} around ${ph(res)}; those without a position have no reason to step in yet.`,
          `The better moment to lighten up is a rebound toward the ${LEVEL[res]} near ${ph(res)}; new buying should wait for the trend to turn.`,
        ]
      : ['Holders should trim into any bounce; those without a position have no reason to step in yet.'];
  } else if (d.stance === 'bullish') {
    plan = entry
      ? [
          `Holders can stay put; newcomers should wait for a pullback toward the ${LEVEL[entry]} near ${ph(entry)} before buying.`,
          `There is no need to sell, but buyers will likely get a better entry closer to the ${LEVEL[entry]} around ${ph(entry)}.`,
        ]
      : ['Holders can stay put; newcomers should wait for a pullback before buying.'];
  } else if (d.stance === 'bearish') {
    plan = res
      ? [
          `Holders may wait for a rebound toward the ${LEVEL[res]} near ${ph(res)} before trimming; newcomers should not rush in until the trend turns.`,
          `Rather than selling into weakness, holders can use a bounce toward the ${LEVEL[res]} around ${ph(res)} to lighten up; new buying can wait.`,
        ]
      : ['Holders may wait for a rebound before trimming; newcomers should not rush in until the trend turns.'];
  } else {
    plan =
      sup && res
        ? [
            `Holders can stay put and use the ${LEVEL[sup]} near ${ph(sup)} as their line in the sand; newcomers should wait for a close above the ${LEVEL[res]} around ${ph(res)}.`,
            `For now, hold and let the price choose: a move above the ${LEVEL[res]} near ${ph(res)} or below the ${LEVEL[sup]} near ${ph(sup)} would settle the direction.`,
          ]
        : ['Holders can stay put; newcomers should wait for the price to pick a direction.'];
  }
  out.push({ section: 'action', slot: 'action.plan', priority: 0, variants: plan });
  return out;
}

function watch(c: WriterContext): Candidate[] {
  const out: Candidate[] = [];
  const s = c.states;
  const It = c.isEtf ? 'The fund' : 'The stock';
  const push = (slot: string, priority: number, variants: string[]): void => {
    out.push({ section: 'watch', slot, priority, variants });
  };

  const w = c.watchLevel;
  if ((s.trend === 'strong_up' || s.trend === 'up') && w) {
    push('watch.level', 0, [
      `The early warning to watch is a close below the ${LEVEL[w]} around ${ph(w)}, which would put the uptrend in question.`,
      `As long as price holds above the ${LEVEL[w]} near ${ph(w)}, the uptrend is intact; a break would point to a deeper pause.`,
    ]);
  } else if ((s.trend === 'strong_down' || s.trend === 'down') && w) {
    push('watch.level', 0, [
      `Price has to get back above the ${LEVEL[w]} near ${ph(w)} before the downtrend can start to change.`,
      `The hurdle is the ${LEVEL[w]} around ${ph(w)}; below it, every bounce is still just a rebound in a downtrend.`,
    ]);
  } else {
    push('watch.level', 0, [
      'Watch the Bollinger bands at {BB_UPPER} and {BB_LOWER}: the side the price breaks first usually sets the next direction.',
      'In the short run the range to watch runs from {BB_LOWER} to {BB_UPPER}, the lower and upper Bollinger bands; a break either way should clarify the trend.',
    ]);
  }

  const risks: { slot: string; variants: string[]; weight: number }[] = [];
  if (s.volatility_regime === 'high' || s.volatility_regime === 'extreme') {
    risks.push({
      slot: 'watch.vol',
      weight: s.volatility_regime === 'extreme' ? 10 : 7,
      variants: [
        'With daily swings of about {ATR_PCT}, the price can move hard either way, so keep position sizes to what you can stomach.',
        'A daily range of about {ATR_PCT} means tight stops get shaken out easily; a smaller position is the better protection.',
      ],
    });
  }
  if (s.rsi_zone === 'overbought') {
    risks.push({ slot: 'watch.rsi', weight: 9, variants: ['An overbought RSI raises the odds of a pause or a sharp pullback in the short term.', 'Beware of profit-taking: RSI is already overbought.'] });
  } else if (s.rsi_zone === 'oversold') {
    risks.push({ slot: 'watch.rsi', weight: 9, variants: ['An oversold RSI means a sharp bounce can come at any time, so selling at market now needs care.', 'Beware of a sudden rebound: RSI is already oversold.'] });
  } else if (s.rsi_zone === 'approaching_overbought') {
    risks.push({ slot: 'watch.rsi', weight: 4, variants: ['With RSI nearing overbought, the room for the price to keep running without a pause is narrowing.'] });
  } else if (s.rsi_zone === 'approaching_oversold') {
    risks.push({ slot: 'watch.rsi', weight: 4, variants: ['With RSI nearing oversold, selling is getting stretched, though not yet to the point where bounces usually start.'] });
  }
  if (s.range_position === 'near_high') {
    risks.push({ slot: 'watch.range', weight: 8, variants: ['Watch whether the price can clear its one-year high of {HIGH_52W}; failing there would likely cap the rally for a while.', 'The one-year high at {HIGH_52W} is the key resistance: a break opens a new leg up, a rejection usually brings sellers.'] });
  } else if (s.range_position === 'near_low') {
    risks.push({ slot: 'watch.range', weight: 8, variants: ['A break below the one-year low of {LOW_52W} could open the way lower, as the next support is hard to see.', 'The one-year low at {LOW_52W} is the last support to watch; losing it could speed up the selling.'] });
  }
  if (s.news_tone === 'negative') {
    risks.push({ slot: 'watch.news', weight: 8, variants: ['Negative headlines, {NEWS_NEGATIVE_PCT} of the recent flow, remain a weight; watch for fresh bad news piling on.'] });
  } else if (s.news_tone === 'mixed') {
    risks.push({ slot: 'watch.news', weight: 5, variants: ['With the news split both ways, the price can swing on the next headline.'] });
  } else if (s.news_tone === 'positive') {
    risks.push({ slot: 'watch.news', weight: 2, variants: ['The good news may already be in the price; if the next headlines disappoint, the price may follow.'] });
  } else if (c.inputs.news === null) {
    risks.push({ slot: 'watch.news', weight: 1, variants: ['This run had no news to go on, so a major headline could change the picture.'] });
  }
  if (s.macd_momentum === 'weakening') {
    risks.push({
      slot: 'watch.macd',
      weight: 5,
      variants: c.macdPositive
        ? ['The fading MACD is a caution sign; if the price fails to make new highs, expect a deeper pause.']
        : ['The recovering MACD may be the first hint of a turn, but the price has yet to confirm it.'],
    });
  }
  if (s.peer_relative === 'underperforming') {
    risks.push({ slot: 'watch.peers', weight: 4, variants: ['Lagging its peers raises the question of a company-specific problem; if so, it may recover later than the group.'] });
  } else if (s.peer_relative === 'outperforming') {
    risks.push({ slot: 'watch.peers', weight: 2, variants: ['Having run ahead of its peers ({RETURN_VS_PEERS}), it is exposed to profit-taking if the whole group softens.'] });
  }
  if (c.topPeer && c.topPeer.correlation >= 0.6) {
    risks.push({ slot: 'watch.top_peer', weight: 2, variants: [`${It} moves closely with ${c.topPeer.name} (correlation {TOP_PEER_CORRELATION}), so that name is a useful early signal.`] });
  }
  const vsPeers = c.facts.VOLATILITY_VS_PEERS?.value;
  if (vsPeers !== undefined && vsPeers >= 25) {
    risks.push({ slot: 'watch.vol_peers', weight: 3, variants: [`${It} is more volatile than its peers' median ({VOLATILITY_VS_PEERS}), which argues for a smaller position.`] });
  }
  if (s.volume === 'very_low' || s.volume === 'low') {
    risks.push({ slot: 'watch.volume', weight: 2, variants: ['Thin volume makes price moves less reliable and leaves room for sudden jumps on a large order.'] });
  }
  if (s.volatility_regime === 'low' || s.volatility_regime === 'normal') {
    risks.push({ slot: 'watch.vol', weight: 1, variants: ['Volatility is contained for now; if the daily range starts widening from about {ATR_PCT}, the market is getting nervous.'] });
  }
  risks.sort((a, b) => b.weight - a.weight);
  risks.forEach((r, k) => push(r.slot, k === 0 ? 0 : k === 1 ? 1 : 2 + k, r.variants));
  return out;
}

/** Valuation against the peers and the month in baht (DESIGN §11), a paragraph of their own in "what to know". */
function valuationAndCurrency(c: WriterContext): Candidate[] {
  const out: Candidate[] = [];
  const v = c.inputs.valuation;
  const vs = "{PE_VS_PEERS} against the peers' median of {PEERS_MEDIAN_PE}";
  const label: Record<string, string[]> = {
    cheap: [
      `On valuation it looks cheap next to its peers: a trailing P/E of {PE_RATIO}, ${vs}.`,
      `Its trailing P/E of {PE_RATIO} sits ${vs}, cheap by the standard of its group.`,
    ],
    fair: [
      `On valuation it is fairly priced next to its peers: a trailing P/E of {PE_RATIO}, ${vs}.`,
      `Its trailing P/E of {PE_RATIO} is close to its group, ${vs}, a fair valuation.`,
    ],
    expensive: [
      `On valuation it is expensive next to its peers: a trailing P/E of {PE_RATIO}, ${vs}.`,
      `Its trailing P/E of {PE_RATIO} sits ${vs}, a premium the market must keep justifying.`,
    ],
  };
  // First among the optional sentences (ahead of the currency one): dropped only when the sentences that must stay
  // already fill the length target, which the completeness score then marks.
  if (v?.label && label[v.label]) out.push({ section: 'know', slot: 'know.valuation', priority: 0.4, paragraph: 2, variants: label[v.label]! });
  else if (v && c.facts.PE_RATIO) {
    out.push({ section: 'know', slot: 'know.valuation', priority: 2, paragraph: 2, variants: ['It trades at a trailing P/E of {PE_RATIO}, but too few peers report one for a fair comparison of its valuation.'] });
  }
  if (c.facts.ANALYST_UPSIDE) {
    out.push({ section: 'know', slot: 'know.target', priority: 3, paragraph: 2, variants: ["The analysts' mean target sits {ANALYST_UPSIDE} from the price.", "Analysts' average target is {ANALYST_UPSIDE} away from here."] });
  }
  const fx = c.inputs.fx;
  if (fx && c.facts.RETURN_1M_THB) {
    const cur = fx.base_currency;
    out.push({
      section: 'know',
      slot: 'know.currency',
      // The first optional sentence: left out only when the narrative would run past its length target.
      priority: 0.5,
      paragraph: 2,
      variants: [
        `For a holder of the DR in baht, the month's [[{RETURN_1M} ]]return became {RETURN_1M_THB}[[, as the ${cur} moved {FX_CHANGE_1M} against the baht]].`,
        `In baht, what a DR holder actually felt, the one-month return is {RETURN_1M_THB}[[, with the ${cur} {FX_CHANGE_1M} against the baht]].`,
      ],
    });
  }
  return out;
}

export function englishCandidates(c: WriterContext): Candidate[] {
  return [...story(c), ...know(c), ...valuationAndCurrency(c), ...action(c), ...watch(c)];
}
