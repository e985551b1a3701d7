import { Link } from '../app/Link';
import { useServices, useWall } from '../app/services';
import { ResourceStatus } from '../app/ResourceStatus';
import { useResource } from '../app/use-resource';
import { n } from '../../../shared/reports';

/** Every timelapse session, with its thumbnail coverage. */
export function TimelapsesPage() {
  const { api } = useServices();
  const cameras = useWall((state) => state.cameras);
  const list = useResource(() => api.call('timelapses.list', {}), 'all', { everyMs: 15_000 });
  if (!list.data) return <ResourceStatus resource={list} what="timelapses" />;
  if (list.data.length === 0) return <p className="page-message">No timelapses yet.</p>;
  const cameraName = (id: number) => cameras.find((c) => c.id === id)?.name ?? `Camera ${id}`;
  return (
    <div className="page">
      <h2>Timelapses</h2>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Timelapse</th>
            <th scope="col">Camera</th>
            <th scope="col">Status</th>
            <th scope="col">Frames</th>
            <th scope="col">Thumbnails</th>
            <th scope="col">Smalls</th>
          </tr>
        </thead>
        <tbody>
          {list.data.map((timelapse) => (
            <tr key={timelapse.id}>
              <td>
                <Link to="timelapse" query={{ id: timelapse.id }}>
                  {timelapse.name}
                </Link>
              </td>
              <td>{cameraName(timelapse.camera_id)}</td>
              <td>{timelapse.status}</td>
              <td className="num">{n(timelapse.image_count)}</td>
              <td className="num">{n(timelapse.thumbnail_count)}</td>
              <td className="num">{n(timelapse.small_count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
