export type { EpssScore, FetchOutcome, FetchedItem, FetchedProduct, HttpGet, HttpResponse, KevEntry } from './types.ts';
export { IntakeFetchError, getJson, getOk, makeHttpGet, type MakeHttpGetOptions } from './http.ts';
export {
  CsafCursorSchema,
  DEFAULT_MAX_DOCUMENTS,
  LOOKBACK_DAYS,
  csafProducts,
  readCsafProvider,
  type CsafCursor,
  type CsafListingCursor,
  type CsafSource,
  type ReadCsafOptions,
} from './csaf-provider.ts';
export { FEED_CURSOR_SIZE, FeedCursorSchema, FeedRefused, parseFeed, parseFeedDate, readFeed, type FeedCursor, type FeedCursorEntry } from './rss.ts';
export { kevItems, parseKev, readKev, type KevCatalogue } from './kev.ts';
export { isGzip, parseEpss, readEpss, type EpssFile } from './epss.ts';
export {
  SUMMARY_MAX,
  clipText,
  decodeEntities,
  extractAdvisoryIds,
  extractCves,
  htmlToText,
  isCveId,
  looksLikeHtml,
  normaliseTitle,
  normaliseWhitespace,
  titleSimilarity,
  titleWords,
} from './text.ts';
