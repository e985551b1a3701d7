import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { defaultApi } from './api/client';
import { createServices } from './app/services';
import { App } from './App';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App services={createServices(defaultApi())} />
  </StrictMode>,
);
