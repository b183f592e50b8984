/** Where the dashboard is mounted on Foyer's public URL. Its cookie is confined to this path. */
export const DASHBOARD_PATH = "/dashboard";

/** The dashboard's address for operators, e.g. for `npm start` to print. */
export function dashboardUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, "")}${DASHBOARD_PATH}`;
}
