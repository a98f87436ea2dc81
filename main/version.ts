import pkg from '../package.json';

export const PRODUCT_NAME = 'Linekeeper';
export const PRODUCT_VERSION: string = pkg.version;
