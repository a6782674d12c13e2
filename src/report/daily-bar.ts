/** One trading day of a ticker, as stored and as every source returns it. Dates are ISO `YYYY-MM-DD`. */
export interface DailyBar {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}
