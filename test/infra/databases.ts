// A fresh database per test file from inject('postgresUrl'), dropped at the end. The code lives
// with the server's test support so server tests (their own TypeScript project) can use it too.
export { createTestDatabase } from '../../server/test-support/test-database';
