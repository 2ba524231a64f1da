/** Statements prepared once per connection: see `../statements.ts`. */
export { connectionOf, preparedStatement } from '../statements.ts';
