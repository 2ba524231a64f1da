import { useEffect, type ComponentType } from 'react';
import { Link, useLocation } from '../../../lib/router.tsx';
import { AuditLog } from './audit-log.tsx';
import { InterfaceAdmin } from './interface-admin.tsx';
import { SettingsAdmin } from './settings-admin.tsx';
import { SystemTokensAdmin } from './system-tokens-admin.tsx';
import { UsersAdmin } from './users-admin.tsx';
import { WardsAdmin } from './wards-admin.tsx';
import './admin.css';

/**
 * The administration sections, in the order of the sub-navigation. A new section is one entry here:
 * its address, its name and the component that shows it. The first is the page's default.
 */
const SECTIONS: readonly { path: string; label: string; Section: ComponentType }[] = [
  { path: '/admin', label: 'Users and roles', Section: UsersAdmin },
  { path: '/admin/wards', label: 'Wards and beds', Section: WardsAdmin },
  { path: '/admin/settings', label: 'Settings', Section: SettingsAdmin },
  { path: '/admin/audit', label: 'Audit log', Section: AuditLog },
  { path: '/admin/interface', label: 'HL7 interface', Section: InterfaceAdmin },
  { path: '/admin/tokens', label: 'System tokens', Section: SystemTokensAdmin },
];

export default function AdminPage(): React.JSX.Element {
  const { pathname } = useLocation();
  useEffect(() => {
    document.title = 'Administration · OssiWatch';
  }, []);
  const current = SECTIONS.find((section) => section.path === pathname) ?? SECTIONS[0];
  const Section = current?.Section ?? UsersAdmin;
  return (
    <main id="main">
      <h1>Administration</h1>
      <nav aria-label="Administration">
        <ul className="sub-nav">
          {SECTIONS.map((section) => (
            <li key={section.path}>
              <Link href={section.path} aria-current={section === current ? 'page' : undefined}>
                {section.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Section />
    </main>
  );
}
