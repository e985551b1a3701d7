/** Chart colours for the dark theme; distinct in hue and lightness for colour-blind readers. */
export const CHART_COLORS = {
  primary: '#4da3ff',
  secondary: '#f2b84b',
  tertiary: '#3ecf8e',
  quaternary: '#c792ea',
  danger: '#ff6b6b',
  grid: '#262c36',
  axis: '#8b93a1',
} as const;
