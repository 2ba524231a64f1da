import type { Advisory, FunctionalImpact, Reason, Tier } from '@ossiwatch/domain';
import { formatDateTime } from '../../../lib/format.ts';
import { TierBadge } from '../../../components/tier-badge.tsx';
import { humanise } from '../../../lib/labels.ts';

export interface RiskView {
  readonly tier: Tier;
  readonly reasons: readonly Reason[];
  readonly functionalImpacts: readonly FunctionalImpact[];
  readonly advisories: readonly Advisory[];
  readonly flags: readonly string[];
  readonly assessedAt: string | null;
}

function Evidence({
  evidence,
}: {
  evidence: { section: string; source: string };
}): React.JSX.Element {
  return (
    <span className="evidence">
      ({evidence.section}; {evidence.source})
    </span>
  );
}

/** The HO watch's verdict with every reason and its evidence: a flag a nurse can check, not a score. */
export function RiskPanel({ risk }: { risk: RiskView }): React.JSX.Element {
  return (
    <section className="panel" aria-labelledby="risk-heading">
      <h2 id="risk-heading">Risk</h2>
      <p>
        Tier: <TierBadge tier={risk.tier} />
        {risk.flags.map((flag) => (
          <span key={flag} className="flag" style={{ marginLeft: '0.5rem' }}>
            {flag === 'overdue' ? 'ROM overdue (none in 7 days)' : humanise(flag)}
          </span>
        ))}
      </p>
      <h3>Reasons</h3>
      {risk.reasons.length === 0 ? (
        <p>No risk factor or ROM signal found.</p>
      ) : (
        <ul>
          {risk.reasons.map((reason, index) => (
            <li key={`${reason.rule}-${index}`}>
              {reason.detail} <Evidence evidence={reason.evidence} />
            </li>
          ))}
        </ul>
      )}
      {risk.advisories.length > 0 && (
        <>
          <h3>Advisories</h3>
          <ul>
            {risk.advisories.map((advisory, index) => (
              <li key={`${advisory.rule}-${index}`}>
                {advisory.text} <Evidence evidence={advisory.evidence} />
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Functional impact</h3>
      {risk.functionalImpacts.length === 0 ? (
        <p>No loss of motion that limits sitting, eating, washing, transfers or standing.</p>
      ) : (
        <ul>
          {risk.functionalImpacts.map((impact, index) => (
            <li key={`${impact.rule}-${index}`}>
              {impact.detail} <Evidence evidence={impact.evidence} />
            </li>
          ))}
        </ul>
      )}
      {risk.assessedAt && <p className="muted">Assessed {formatDateTime(risk.assessedAt)}.</p>}
    </section>
  );
}
