import type { Tier } from '@ossiwatch/domain';
import { TIER_WORDS } from '../lib/labels.ts';

/** The tier as a word on a coloured badge (never colour alone; the word is what is read out). */
export function TierBadge({ tier }: { tier: Tier }): React.JSX.Element {
  return <span className={`tier tier-${tier}`}>{TIER_WORDS[tier]}</span>;
}
