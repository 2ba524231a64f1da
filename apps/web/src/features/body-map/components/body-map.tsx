import { JOINT_SITES, SIDES } from '@ossiwatch/domain';
import { useId } from 'react';
import { HO_STATE_WORDS, siteName } from '../../../lib/labels.ts';
import {
  SITE_POSITIONS,
  STATE_COLOURS,
  describeSites,
  troubledSites,
  type SiteStateLike,
} from '../body-map.utils.ts';

function Figure(): React.JSX.Element {
  // A plain outline: head, trunk, arms and legs through the joint positions.
  const l = SITE_POSITIONS.left;
  const r = SITE_POSITIONS.right;
  const limb = (points: { x: number; y: number }[]): string =>
    points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
  return (
    <g fill="none" stroke="#6b7280" strokeWidth={3} strokeLinecap="round" strokeLinejoin="round">
      <circle cx={50} cy={18} r={12} />
      <path d={`M50,30 L50,96 M${r.shoulder.x},${r.shoulder.y} L${l.shoulder.x},${l.shoulder.y}`} />
      <path d={limb([r.shoulder, r.elbow, { x: 20, y: 100 }])} />
      <path d={limb([l.shoulder, l.elbow, { x: 80, y: 100 }])} />
      <path d={`M${r.hip.x},${r.hip.y} L${l.hip.x},${l.hip.y}`} />
      <path d={limb([r.hip, r.knee, r.ankle, { x: 33, y: 190 }])} />
      <path d={limb([l.hip, l.knee, l.ankle, { x: 67, y: 190 }])} />
    </g>
  );
}

function Sites({
  sites,
  radius,
}: {
  sites: readonly SiteStateLike[];
  radius: number;
}): React.JSX.Element {
  return (
    <g>
      {sites.map((site) => {
        const position = SITE_POSITIONS[site.side][site.site];
        return (
          <circle
            key={`${site.side}-${site.site}`}
            cx={position.x}
            cy={position.y}
            r={radius}
            fill={STATE_COLOURS[site.state]}
            stroke={site.state === 'none' ? '#6b7280' : '#111827'}
            strokeWidth={1.5}
          />
        );
      })}
    </g>
  );
}

const MINI_FIGURE_ID = 'mini-body-figure';

/**
 * The outline every board thumbnail draws, defined once for the page: render it once next to the
 * thumbnails. Each thumbnail then refers to it (`<use>`) instead of drawing its own seven shapes,
 * which on a 30-bed board was some two hundred elements built before the rows could show.
 */
export function MiniBodyFigureDefinition(): React.JSX.Element {
  return (
    <svg className="svg-definitions" aria-hidden="true" focusable="false" width={0} height={0}>
      <symbol id={MINI_FIGURE_ID} viewBox="0 0 100 200">
        <Figure />
      </symbol>
    </svg>
  );
}

/**
 * A thumbnail for a board row; its name lists the troubled sites in words. Its outline is the one
 * `MiniBodyFigureDefinition` defines.
 */
export function MiniBodyMap({
  sites,
  decorative = false,
}: {
  sites: readonly SiteStateLike[];
  /** True when the same sites are listed in words beside it (SiteWords): read once, not twice. */
  decorative?: boolean;
}): React.JSX.Element {
  return (
    <svg
      className="mini-body-map"
      viewBox="0 0 100 200"
      width={32}
      height={64}
      {...(decorative
        ? { 'aria-hidden': true }
        : { role: 'img', 'aria-label': `Joint sites: ${describeSites(sites)}` })}
    >
      <use href={`#${MINI_FIGURE_ID}`} />
      <Sites sites={sites.filter((s) => s.state !== 'none')} radius={13} />
    </svg>
  );
}

/** The troubled sites in words, one a line, for reading at a glance beside the thumbnail. */
export function SiteWords({ sites }: { sites: readonly SiteStateLike[] }): React.JSX.Element {
  const troubled = troubledSites(sites);
  if (troubled.length === 0) return <span className="muted site-words">no site in trouble</span>;
  return (
    <ul className="site-words" aria-label="Joint sites">
      {troubled.map((site) => (
        <li key={`${site.side}-${site.site}`}>
          {siteName(site.side, site.site)}: {HO_STATE_WORDS[site.state]}
        </li>
      ))}
    </ul>
  );
}

/** The patient page's body map: every site drawn in its state's colour and listed by name and state. */
export function BodyMap({ sites }: { sites: readonly SiteStateLike[] }): React.JSX.Element {
  const captionId = useId();
  const listId = useId();
  const all = SIDES.flatMap((side) =>
    JOINT_SITES.map(
      (site) =>
        sites.find((s) => s.side === side && s.site === site) ?? {
          site,
          side,
          state: 'none' as const,
        },
    ),
  );
  return (
    <figure className="body-map" aria-labelledby={captionId}>
      <figcaption id={captionId}>Body map</figcaption>
      <div className="body-map-inner">
        <svg
          viewBox="-14 0 128 200"
          width={180}
          height={282}
          role="img"
          aria-label="Body map"
          aria-describedby={listId}
        >
          <Figure />
          <Sites sites={all} radius={6} />
          <text x={4} y={196} fontSize={8} fill="#374151">
            Right
          </text>
          <text x={82} y={196} fontSize={8} fill="#374151">
            Left
          </text>
        </svg>
        <ul id={listId} className="site-states">
          {all.map((site) => (
            <li key={`${site.side}-${site.site}`}>
              <span
                className="swatch"
                aria-hidden="true"
                style={{
                  background: STATE_COLOURS[site.state],
                  borderColor: site.state === 'none' ? '#6b7280' : '#111827',
                }}
              />
              {siteName(site.side, site.site)}: <strong>{HO_STATE_WORDS[site.state]}</strong>
            </li>
          ))}
        </ul>
      </div>
    </figure>
  );
}
