import { useQueryClient } from '@tanstack/react-query';
import { Suspense, lazy, useEffect, useState } from 'react';
import { canAdmit } from './features/admission/can-admit.ts';
import { IdleGuard } from './features/auth/components/idle-guard.tsx';
import { SignInPage } from './features/auth/components/sign-in-page.tsx';
import { useSession, useSignOut, type SessionUser } from './features/auth/hooks/use-session.ts';
import { ThemeToggle } from './features/board/components/theme-toggle.tsx';
import { WardBoardPage } from './features/board/components/ward-board-page.tsx';
import { WardListPage } from './features/wards/components/ward-list-page.tsx';
import { landingWard, lastWard, rememberWard, takeSignedIn } from './features/wards/landing.ts';
import { claimDrafts, clearAllDrafts } from './lib/drafts.ts';
import { Link, matchPath, navigate, useLocation } from './lib/router.tsx';
import { useFocusHeadingOnNavigation } from './lib/use-focus-heading.ts';
import { useTRPC } from './trpc.ts';

// Charts, forms and admin screens load on first use: the board's own JavaScript stays small (PRODUCT §9).
const PatientPage = lazy(() => import('./features/patient/components/patient-page.tsx'));
const AdminPage = lazy(() => import('./features/admin/components/admin-page.tsx'));
const RatesPage = lazy(() => import('./features/rates/components/rates-page.tsx'));
const AdmitPatientPage = lazy(
  () => import('./features/admission/components/admit-patient-page.tsx'),
);
const RecordSessionPage = lazy(
  () => import('./features/therapy/components/record-session-page.tsx'),
);

const CLINICAL_ROLES = ['nurse', 'therapist', 'physician'];

function canSeeRates(user: SessionUser): boolean {
  return user.roles.some((role) => role === 'manager' || role === 'admin');
}

/** A screen opened by someone whose role does not use it: said at once, with the way back. */
function NotForYourRole({
  screen,
  forRoles,
  user,
}: {
  screen: string;
  forRoles: string;
  user: SessionUser;
}): React.JSX.Element {
  return (
    <main id="main">
      <h1>{screen}: not for your role</h1>
      <p>
        This screen is for {forRoles}; you are signed in as {user.roles.join(', ')}. Ask an
        administrator if your work needs it. <Link href="/">Go to your start page</Link>.
      </p>
    </main>
  );
}

export function isClinician(user: SessionUser): boolean {
  return user.roles.some((role) => CLINICAL_ROLES.includes(role));
}

export function App(): React.JSX.Element {
  const session = useSession();
  switch (session.status) {
    case 'checking':
      return (
        <main id="main">
          <p role="status">Checking your session…</p>
        </main>
      );
    case 'unavailable':
      return (
        <main id="main">
          <h1>OssiWatch</h1>
          <p role="alert">
            The server cannot be reached: {session.message}. Try again in a moment.
          </p>
        </main>
      );
    case 'signed_out':
      return <SignInPage reason={session.reason} />;
    case 'signed_in':
      return <Shell user={session.user} />;
  }
}

function Shell({ user }: { user: SessionUser }): React.JSX.Element {
  const signOut = useSignOut();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { pathname, search } = useLocation();
  const wall = search.get('wall') === '1';
  const isAdmin = user.roles.includes('admin');
  useFocusHeadingOnNavigation(pathname);
  const boardWard = matchPath('/wards/:wardId', pathname)?.wardId;
  useEffect(() => {
    if (boardWard && user.wardIds.includes(Number(boardWard)))
      rememberWard(user.id, Number(boardWard));
  }, [boardWard, user]);
  useEffect(() => claimDrafts(user.id), [user.id]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {!wall && (
        <header className="app-header">
          <Link href="/" className="brand">
            OssiWatch
          </Link>
          <nav aria-label="Main">
            <ul>
              {isClinician(user) && (
                <li>
                  <NavLink href="/" current={pathname === '/' || pathname.startsWith('/wards')}>
                    Wards
                  </NavLink>
                </li>
              )}
              {canSeeRates(user) && (
                <li>
                  <NavLink href="/rates" current={pathname.startsWith('/rates')}>
                    Rates
                  </NavLink>
                </li>
              )}
              {isAdmin && (
                <li>
                  <NavLink href="/admin" current={pathname.startsWith('/admin')}>
                    Admin
                  </NavLink>
                </li>
              )}
            </ul>
          </nav>
          <p className="who">
            Signed in as <strong>{user.displayName ?? user.username}</strong>{' '}
            <span className="muted">({user.roles.join(', ')})</span>
          </p>
          <ThemeToggle />
          <a
            href="/"
            className="sign-out"
            onClick={(event) => {
              event.preventDefault();
              // Unsaved entries ask first; a sign-out chosen (not an idle one) takes the drafts along.
              if (!navigate('/')) return;
              clearAllDrafts();
              signOut('signed_out');
            }}
          >
            Sign out
          </a>
        </header>
      )}
      <IdleGuard
        disabled={wall}
        onExpire={() => signOut('idle')}
        onActivity={() => void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() })}
      />
      <Suspense
        fallback={
          <main id="main">
            <p role="status">Loading…</p>
          </main>
        }
      >
        <Routes user={user} pathname={pathname} />
      </Suspense>
    </>
  );
}

function NavLink({
  href,
  current,
  children,
}: {
  href: string;
  current: boolean;
  children: React.ReactNode;
}): React.JSX.Element {
  return (
    <Link href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

function Routes({ user, pathname }: { user: SessionUser; pathname: string }): React.JSX.Element {
  const admit = matchPath('/wards/:wardId/admit', pathname);
  if (admit) return <AdmitPatientPage wardId={Number(admit.wardId)} user={user} />;
  const board = matchPath('/wards/:wardId', pathname);
  if (board) {
    return (
      <WardBoardPage
        wardId={Number(board.wardId)}
        canAdmit={canAdmit(user)}
        canAcknowledge={canAdmit(user)}
      />
    );
  }
  const record = matchPath('/patients/:patientId/record', pathname);
  if (record) return <RecordSessionPage patientId={Number(record.patientId)} userId={user.id} />;
  const patient = matchPath('/patients/:patientId', pathname);
  if (patient) return <PatientPage patientId={Number(patient.patientId)} user={user} />;
  if (pathname === '/rates') {
    return canSeeRates(user) ? (
      <RatesPage />
    ) : (
      <NotForYourRole
        screen="Complication rates"
        forRoles="managers and administrators"
        user={user}
      />
    );
  }
  if (pathname === '/admin' || pathname.startsWith('/admin/')) {
    return user.roles.includes('admin') ? (
      <AdminPage />
    ) : (
      <NotForYourRole screen="Administration" forRoles="administrators" user={user} />
    );
  }
  if (pathname === '/') return <Home user={user} />;
  return (
    <main id="main">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link href="/">Go to the start page</Link>.
      </p>
    </main>
  );
}

function Home({ user }: { user: SessionUser }): React.JSX.Element {
  const clinician = isClinician(user);
  // Read once, on the first render after the sign-in form: later visits show the ward list.
  const [signedInNow] = useState(takeSignedIn);
  const landing = clinician && signedInNow ? landingWard(user.wardIds, lastWard(user.id)) : null;
  const goTo = !clinician
    ? user.roles.includes('manager')
      ? '/rates'
      : '/admin'
    : landing !== null
      ? `/wards/${landing}`
      : null;
  useEffect(() => {
    if (goTo) navigate(goTo, { replace: true });
  }, [goTo]);
  if (goTo) return <main id="main" />;
  return <WardListPage />;
}
