// SPDX-License-Identifier: Apache-2.0
/**
 * @module Every implementation behind `healthcode code …` and `healthcode dcc …`: the one module
 * `./commands.ts` loads when such a command runs.
 */
export { codeVerify, dccVerify } from './cli-verify.js';
export {
  issueCommand,
  parseTtl,
  revokeCommand,
  rotateCommand,
  trustListCommand,
  withIssuer,
} from './cli-issue.js';
export {
  correctCommand,
  explainCommand,
  issueForSubjectCommand,
  orderCommand,
  reviewDecideCommand,
  reviewListCommand,
} from './cli-subject.js';
