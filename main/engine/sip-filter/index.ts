export { compileSipFilter, checkSipLine, filterSipLines, trySipFilterOnLines, type CompiledSipFilter } from './sip-filter';
