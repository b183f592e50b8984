/** What the user sees of the device a session was signed in on (Clerk's session activity). */
export interface DeviceSummary {
  browser_name: string | null;
  browser_version: string | null;
  /** The operating system: "macOS", "Windows", "Android"… */
  device_type: string | null;
  is_mobile: boolean;
}

export const UNKNOWN_DEVICE: DeviceSummary = {
  browser_name: null,
  browser_version: null,
  device_type: null,
  is_mobile: false,
};

// Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari".
const BROWSERS: Array<[name: string, pattern: RegExp]> = [
  ["Edge", /\bEdg(?:e|A|iOS)?\/(\d+)/],
  ["Opera", /\bOPR\/(\d+)/],
  ["Firefox", /\b(?:Firefox|FxiOS)\/(\d+)/],
  ["Chrome", /\b(?:Chrome|CriOS|HeadlessChrome)\/(\d+)/],
  ["Safari", /\bVersion\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//],
];

const SYSTEMS: Array<[name: string, pattern: RegExp]> = [
  ["iOS", /\b(?:iPhone|iPad|iPod)\b/],
  ["Android", /\bAndroid\b/],
  ["ChromeOS", /\bCrOS\b/],
  ["Windows", /\bWindows\b/],
  ["macOS", /\bMacintosh\b/],
  ["Linux", /\bLinux\b/],
];

/**
 * A User-Agent reduced to a browser name, major version and operating system. Only the summary
 * is stored: the whole string (and the IP address) would say more about the user than a list of
 * their sessions needs. Anything unrecognised is null, never the raw text.
 */
export function summariseUserAgent(userAgent: string | undefined): DeviceSummary {
  if (!userAgent) return UNKNOWN_DEVICE;
  const ua = userAgent.slice(0, 1000);
  let browser: [string, string] | undefined;
  for (const [name, pattern] of BROWSERS) {
    const m = pattern.exec(ua);
    if (m) {
      browser = [name, m[1]!];
      break;
    }
  }
  const system = SYSTEMS.find(([, pattern]) => pattern.test(ua))?.[0] ?? null;
  return {
    browser_name: browser?.[0] ?? null,
    browser_version: browser?.[1] ?? null,
    device_type: system,
    is_mobile: /\bMobi|\biPhone\b|\bAndroid\b.*\bMobile\b/.test(ua),
  };
}
