/**
 * One suite of wire-level behaviours every provider client must show, run against a local
 * server that speaks the provider's protocol. Each provider supplies its fixtures.
 */
import type { ProviderFixture } from './provider-fixture.js';
import { answerSuite } from './suite-answers.js';
import { failureSuite } from './suite-failures.js';
import { toolSuite } from './suite-tools.js';

export type { Json, ProviderFixture } from './provider-fixture.js';

export function providerSuite(f: ProviderFixture): void {
  answerSuite(f);
  toolSuite(f);
  failureSuite(f);
}
