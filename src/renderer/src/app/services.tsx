import { createContext, useContext, useEffect, useEffectEvent, type ReactNode } from 'react';
import type { CoreEvent } from '../../../shared/contract';
import { useStore } from 'zustand';
import type { Api } from '../api/client';
import type { ConnectionState } from '../api/transport';
import {
  createMaintenanceStore,
  type MaintenanceState,
  type MaintenanceStore,
} from '../store/maintenance-store';
import { createWallStore, type WallState, type WallStore } from '../store/wall-store';

/** What every screen reaches: the API client and the stores fed by its event stream. */
export interface Services {
  api: Api;
  wall: WallStore;
  maintenance: MaintenanceStore;
  /** The one event stream, shared by every screen that wants events beyond the stores. */
  events: EventHub;
}

export interface EventHub {
  subscribe(listener: (event: CoreEvent) => void): () => void;
  publish(event: CoreEvent): void;
}

function createEventHub(): EventHub {
  const listeners = new Set<(event: CoreEvent) => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish(event) {
      for (const listener of listeners) listener(event);
    },
  };
}

export function createServices(api: Api): Services {
  return {
    api,
    wall: createWallStore(api),
    maintenance: createMaintenanceStore(api),
    events: createEventHub(),
  };
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({
  services,
  children,
}: {
  services: Services;
  children: ReactNode;
}) {
  useEventFeed(services);
  useVisibility(services.wall);
  useClock(services.wall);
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesProvider');
  return services;
}

export function useWall<T>(selector: (state: WallState) => T): T {
  return useStore(useServices().wall, selector);
}

export function useMaintenance<T>(selector: (state: MaintenanceState) => T): T {
  return useStore(useServices().maintenance, selector);
}

/** Calls `onEvent` with every core event while the component is mounted. */
export function useCoreEvents(onEvent: (event: CoreEvent) => void): void {
  const { events } = useServices();
  const handle = useEffectEvent(onEvent);
  useEffect(() => events.subscribe((event) => handle(event)), [events]);
}

/** One subscription for the whole app: every event reaches every store. */
function useEventFeed({ api, wall, maintenance, events }: Services) {
  useEffect(() => {
    void wall.getState().refresh();
    void maintenance.getState().refreshRegeneration();
    const watch = reconnectWatcher(() => {
      // Events were missed while the stream was down: take a fresh snapshot.
      void wall.getState().refresh();
      void maintenance.getState().refreshRegeneration();
    });
    return api.subscribe(
      (event) => {
        wall.getState().handleEvent(event);
        maintenance.getState().handleEvent(event);
        events.publish(event);
      },
      (state) => {
        wall.getState().setConnection(state);
        watch(state);
      },
    );
  }, [api, wall, maintenance, events]);
}

/** Calls `onReconnect` each time the connection to the core opens again after having been down. */
export function useReconnect(onReconnect: () => void): void {
  const { wall } = useServices();
  const handle = useEffectEvent(onReconnect);
  useEffect(() => {
    const watch = reconnectWatcher(() => handle());
    watch(wall.getState().connection);
    return wall.subscribe((state, previous) => {
      if (state.connection !== previous.connection) watch(state.connection);
    });
  }, [wall]);
}

/** Calls back when the stream opens again after having been down. */
export function reconnectWatcher(onReconnect: () => void): (state: ConnectionState) => void {
  let wasDown = false;
  return (state) => {
    if (state === 'down') wasDown = true;
    else if (state === 'open' && wasDown) {
      wasDown = false;
      onReconnect();
    }
  };
}

/** A hidden tab or minimised window stops refreshing; it catches up the moment it is shown. */
function useVisibility(wall: WallStore) {
  useEffect(() => {
    const update = () => wall.getState().setVisible(document.visibilityState !== 'hidden');
    update();
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, [wall]);
}

/** Ages and stale badges move on by themselves, once a second, while anyone can see them. */
function useClock(wall: WallStore) {
  useEffect(() => {
    const timer = setInterval(() => {
      if (wall.getState().visible) wall.getState().tick();
    }, 1000);
    return () => clearInterval(timer);
  }, [wall]);
}
