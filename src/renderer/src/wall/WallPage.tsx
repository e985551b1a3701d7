import { navigate } from '../app/router';
import { useWall } from '../app/services';
import { CameraWall } from './CameraWall';

/** The app's home: every camera live. */
export function WallPage() {
  const cameras = useWall((state) => state.cameras);
  const loaded = useWall((state) => state.loaded);
  const loadError = useWall((state) => state.loadError);
  if (!loaded) return <p className="page-message">{loadError ? `Cannot load cameras: ${loadError}` : 'Loading cameras…'}</p>;
  if (cameras.length === 0) return <p className="page-message">No cameras yet. Add one, or start `timelapser serve --demo`.</p>;
  return <CameraWall cameras={cameras} onOpen={(id) => navigate('camera', { id })} />;
}
