import { ConnectionBadge } from './ConnectionBadge';
import { Link } from './Link';

const SECTIONS = [
  { name: '', label: 'Wall' },
  { name: 'timelapses', label: 'Timelapses' },
  { name: 'statistics', label: 'Statistics' },
  { name: 'settings', label: 'Settings' },
  { name: 'kiosk', label: 'Kiosk' },
];

export function AppHeader({ current }: { current: string }) {
  return (
    <header className="app-header">
      <h1>Timelapser</h1>
      <nav aria-label="Sections">
        {SECTIONS.map((section) => (
          <Link
            key={section.name}
            to={section.name}
            aria-current={current === section.name ? 'page' : undefined}
          >
            {section.label}
          </Link>
        ))}
      </nav>
      <ConnectionBadge />
    </header>
  );
}
