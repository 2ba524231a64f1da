import { useEffect } from 'react';
import { Link, useLocation } from '../../../lib/router.tsx';
import { AuditLog } from './audit-log.tsx';
import { InterfaceAdmin } from './interface-admin.tsx';
import { SettingsAdmin } from './settings-admin.tsx';
import { SystemTokensAdmin } from './system-tokens-admin.tsx';
import { UsersAdmin } from './users-admin.tsx';
import { WardsAdmin } from './wards-admin.tsx';

const SECTIONS = [
  { path: '/admin', label: 'Users and roles' },
  { path: '/admin/wards', label: 'Wards and beds' },
  { path: '/admin/settings', label: 'Settings' },
  { path: '/admin/audit', label: 'Audit log' },
  { path: '/admin/interface', label: 'HL7 interface' },
  { path: '/admin/tokens', label: 'System tokens' },
] as const;

export default function AdminPage(): React.JSX.Element {
  const { pathname } = useLocation();
  useEffect(() => {
    document.title = 'Administration · OssiWatch';
  }, []);
  return (
    <main id="main">
      <h1>Administration</h1>
      <nav aria-label="Administration">
        <ul className="sub-nav">
          {SECTIONS.map((section) => (
            <li key={section.path}>
              <Link
                href={section.path}
                aria-current={pathname === section.path ? 'page' : undefined}
              >
                {section.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {pathname === '/admin/wards' ? (
        <WardsAdmin />
      ) : pathname === '/admin/settings' ? (
        <SettingsAdmin />
      ) : pathname === '/admin/audit' ? (
        <AuditLog />
      ) : pathname === '/admin/interface' ? (
        <InterfaceAdmin />
      ) : pathname === '/admin/tokens' ? (
        <SystemTokensAdmin />
      ) : (
        <UsersAdmin />
      )}
    </main>
  );
}
