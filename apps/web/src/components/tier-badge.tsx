import type { Tier } from '@ossiwatch/domain';
import { TIER_WORDS } from '../lib/labels.ts';

/**
 * A shape per tier besides the word and the colour, so tiers differ for a colour-blind eye and in a
 * grey printout: a triangle (alert), a diamond (high), a circle (elevated), a bar (low).
 */
const TIER_SHAPES: Record<Tier, React.JSX.Element> = {
  alert: <path d="M6 0.5 11.5 11H0.5Z" />,
  high: <path d="M6 0 12 6 6 12 0 6Z" />,
  elevated: <circle cx="6" cy="6" r="5" />,
  low: <rect x="1" y="4.5" width="10" height="3" rx="1" />,
};

export function TierIcon({ tier }: { tier: Tier }): React.JSX.Element {
  return (
    <svg className="tier-icon" viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
      {TIER_SHAPES[tier]}
    </svg>
  );
}

/**
 * The tier as a word with its shape on a coloured badge (never colour alone; the word is what is
 * read out). `quiet`: an acknowledged row's badge, outlined instead of filled.
 */
export function TierBadge({
  tier,
  quiet = false,
}: {
  tier: Tier;
  quiet?: boolean;
}): React.JSX.Element {
  return (
    <span className={`tier tier-${tier}${quiet ? ' tier-quiet' : ''}`}>
      <TierIcon tier={tier} />
      {TIER_WORDS[tier]}
    </span>
  );
}
