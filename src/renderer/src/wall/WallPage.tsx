import { useMemo, useState } from 'react';
import type { CameraDto } from '../../../shared/contract';
import { AddCameraButton } from '../cameras/AddCameraButton';
import { ArrangeDialog } from '../cameras/ArrangeDialog';
import { TileMenu } from '../cameras/TileMenu';
import { navigate } from '../app/router';
import { useServices, useWall } from '../app/services';
import { camerasInGroup, groupsOf } from '../store/wall-store';
import { CameraWall } from './CameraWall';

// Stable, so a new frame re-renders its own tile and not the wall's others.
const openCamera = (id: number) => navigate('camera', { id });
const tileMenu = (camera: CameraDto) => <TileMenu camera={camera} />;

/** The app's home: every camera live (or one group's), and where cameras are added and arranged. */
export function WallPage() {
  const { wall } = useServices();
  const cameras = useWall((state) => state.cameras);
  const loaded = useWall((state) => state.loaded);
  const loadError = useWall((state) => state.loadError);
  const chosen = useWall((state) => state.group);
  const [arranging, setArranging] = useState(false);
  const groups = useMemo(() => groupsOf(cameras), [cameras]);
  // A remembered group that no camera has any more shows every camera.
  const group = chosen !== null && groups.includes(chosen) ? chosen : null;
  const shown = useMemo(() => camerasInGroup(cameras, group), [cameras, group]);

  if (!loaded)
    return (
      <p className="page-message">
        {loadError ? `Cannot load cameras: ${loadError}` : 'Loading cameras…'}
      </p>
    );
  if (cameras.length === 0)
    return (
      <div className="page-message empty-wall">
        <p>
          No cameras yet. Add your first one: an IP camera’s snapshot URL, an RTSP stream, a watch
          folder, or a demo.
        </p>
        <AddCameraButton className="primary" />
      </div>
    );
  return (
    <div className="wall-page">
      <div className="wall-toolbar" role="toolbar" aria-label="Wall">
        {groups.length > 0 && (
          <div className="group-filter" role="group" aria-label="Show group">
            {[null, ...groups].map((name) => (
              <button
                key={name ?? ''}
                type="button"
                aria-pressed={group === name}
                onClick={() => wall.getState().setGroup(name)}
              >
                {name ?? 'All cameras'}
              </button>
            ))}
          </div>
        )}
        <span className="toolbar-spacer" />
        <button type="button" onClick={() => setArranging(true)}>
          Arrange
        </button>
        <AddCameraButton className="primary" />
      </div>
      <CameraWall
        cameras={shown}
        onOpen={openCamera}
        label={group ? `Camera wall, group ${group}` : 'Camera wall'}
        renderMenu={tileMenu}
      />
      {arranging && <ArrangeDialog onClose={() => setArranging(false)} />}
    </div>
  );
}
