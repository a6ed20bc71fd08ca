// The helper lives beside the core's test support (its tsconfig cannot reach test/); others import it from here.
export { startXvfb, type Xvfb, type XvfbOptions } from '../../src/sync/test-support/xvfb';
