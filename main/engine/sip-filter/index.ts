export { compileSipFilter, checkSipLine, filterSipLines, type CompiledSipFilter } from './sip-filter';
