export { parseRanges, inRanges, type ExtensionRange, type RangesResult } from './ranges';
export { parseLocationPrefix, formatCanonical, parseCanonical, CanonicalParseError, type LocationPrefix } from './canonical';
export { validateLocation, resolveLocation, classifyNumber, lineDisplayNumber, linesShownAs, formatExtensions, LocationError, type ResolvedLocation } from './location';
export { toCanonical, toDialable, locationStep, isExtension } from './numbers';
