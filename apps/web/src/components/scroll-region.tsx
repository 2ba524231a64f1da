/**
 * A wide table's own sideways-scrolling box: the page itself never scrolls sideways on a phone
 * (WCAG 1.4.10), and the box takes keyboard focus so its hidden columns can be reached with the
 * arrow keys (axe: scrollable-region-focusable).
 */
export function ScrollRegion({
  label,
  children,
}: {
  label: string;
  children: React.ReactNode;
}): React.JSX.Element {
  return (
    <div className="table-scroll sticky-head" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
