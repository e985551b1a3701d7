import { Suspense } from 'react';
import { AppHeader } from './app/AppHeader';
import { lazyScreen } from './app/lazy-screen';
import { ScreenBoundary } from './app/ScreenBoundary';
import { useRoute, type Route } from './app/router';
import { ServicesProvider, type Services } from './app/services';
import { KioskPage } from './kiosk/KioskPage';
import { SettingsPage } from './settings/SettingsPage';
import { TimelapsePage } from './timelapse/TimelapsePage';
import { TimelapsesPage } from './timelapse/TimelapsesPage';
import { CameraPage } from './wall/CameraPage';
import { WallPage } from './wall/WallPage';

// Charts are the heaviest code and only this page draws them: a wall screen never loads them.
const StatisticsPage = lazyScreen(() =>
  import('./statistics/StatisticsPage').then((m) => ({ default: m.StatisticsPage })),
);

export function App({ services }: { services: Services }) {
  return (
    <ServicesProvider services={services}>
      <Screens />
    </ServicesProvider>
  );
}

function Screens() {
  const route = useRoute();
  // The kiosk is the wall alone: no header, no navigation.
  if (route.name === 'kiosk') return <KioskPage query={route.query} />;
  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <AppHeader current={route.name} />
      <main id="main" className="app-main" tabIndex={-1}>
        <ScreenBoundary key={route.name}>
          <Page route={route} />
        </ScreenBoundary>
      </main>
    </div>
  );
}

function Page({ route }: { route: Route }) {
  const id = Number(route.query.get('id'));
  switch (route.name) {
    case 'camera':
      return <CameraPage cameraId={id} />;
    case 'timelapses':
      return <TimelapsesPage />;
    case 'timelapse':
      return <TimelapsePage timelapseId={id} />;
    case 'settings':
      return <SettingsPage focus={route.query.get('focus')} />;
    case 'statistics':
      return (
        <Suspense
          fallback={
            <p className="page-message">
              Loading statistics… (waiting for the server if it is away)
            </p>
          }
        >
          <StatisticsPage />
        </Suspense>
      );
    default:
      return <WallPage />;
  }
}
