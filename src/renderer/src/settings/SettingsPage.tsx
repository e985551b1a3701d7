import { useCoreEvents, useServices } from '../app/services';
import { ResourceStatus } from '../app/ResourceStatus';
import { useResource } from '../app/use-resource';
import { MaintenancePanel } from './MaintenancePanel';
import { SettingsForm } from './SettingsForm';

export function SettingsPage({ focus }: { focus: string | null }) {
  const { api } = useServices();
  const settings = useResource(() => api.call('settings.get'), 'settings');
  // Another window or the CLI changed them: show what is in force (unsaved edits stay, marked as changes).
  useCoreEvents((event) => event.type === 'settings_changed' && settings.reload());
  return (
    <div className="page settings-page">
      <section aria-labelledby="settings-title">
        <h2 id="settings-title">Settings</h2>
        <ResourceStatus resource={settings} what="the settings" />
        {settings.data && <SettingsForm settings={settings.data} onSaved={settings.reload} />}
      </section>
      <MaintenancePanel focus={focus} />
    </div>
  );
}
