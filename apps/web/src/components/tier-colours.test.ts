/**
 * The tier badges' colours stay apart for the commonest colour-vision deficiencies (about 1 man in
 * 12 has one; protanopia and deuteranopia make red, orange and yellow alike). Read from the style
 * sheet itself, in the light and the dark theme, simulated with Machado, Oliveira & Fernandes (2009)
 * at full severity, compared in CIELAB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TIERS } from '@ossiwatch/domain';

type Rgb = readonly [number, number, number];
type Matrix = readonly [Rgb, Rgb, Rgb];

const IDENTITY: Matrix = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
// Machado et al. 2009, severity 1.0, for linear RGB.
const PROTANOPIA: Matrix = [
  [0.152286, 1.052583, -0.204868],
  [0.114503, 0.786281, 0.099216],
  [-0.003882, -0.048116, 1.051998],
];
const DEUTERANOPIA: Matrix = [
  [0.367322, 0.860646, -0.227968],
  [0.280085, 0.672501, 0.047413],
  [-0.01182, 0.04294, 0.968881],
];

/** ΔE*ab (CIE76) below which two badge colours are not reliably told apart at a glance. */
const MIN_DIFFERENCE = 20;

const css = fs.readFileSync(path.join(import.meta.dirname, '..', 'styles.css'), 'utf8');

/** The custom properties of the first rule whose selector is exactly `selector`. */
function propertiesOf(selector: string): Map<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start === -1) throw new Error(`no rule ${selector}`);
  const body = css.slice(start, css.indexOf('}', start));
  return new Map([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

function hexToRgb(hex: string): Rgb {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  const n = parseInt(match[1]!, 16);
  return [(n >> 16) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);

function simulate(rgb: Rgb, m: Matrix): Rgb {
  const lin = rgb.map(toLinear) as unknown as Rgb;
  const out = m.map((row) => row[0] * lin[0] + row[1] * lin[1] + row[2] * lin[2]);
  return out.map((c) => Math.min(1, Math.max(0, c))) as unknown as Rgb;
}

/** Linear sRGB → CIELAB (D65). */
function lab([r, g, b]: Rgb): Rgb {
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

function deltaE(a: Rgb, b: Rgb): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

const THEMES = {
  light: propertiesOf(':root'),
  dark: propertiesOf(":root[data-theme='dark']"),
};

describe.each(Object.entries(THEMES))('tier colours, %s theme', (_theme, properties) => {
  const colours = TIERS.map((tier) => {
    const value = properties.get(`--tier-${tier}-bg`);
    if (!value) throw new Error(`--tier-${tier}-bg is not set`);
    return { tier, rgb: hexToRgb(value) };
  });

  it.each([
    ['normal vision', IDENTITY],
    ['protanopia', PROTANOPIA],
    ['deuteranopia', DEUTERANOPIA],
  ] as const)('every pair differs by at least ΔE %s', (_vision, matrix) => {
    for (const [i, a] of colours.entries()) {
      for (const b of colours.slice(i + 1)) {
        const difference = deltaE(lab(simulate(a.rgb, matrix)), lab(simulate(b.rgb, matrix)));
        expect(
          difference,
          `${a.tier} vs ${b.tier}: ΔE ${difference.toFixed(1)}`,
        ).toBeGreaterThanOrEqual(MIN_DIFFERENCE);
      }
    }
  });

  it('a red and an orange that only differ in hue would fail (the check can fail)', () => {
    const red = hexToRgb('#b91c1c');
    const orange = hexToRgb('#c2410c');
    expect(
      deltaE(lab(simulate(red, DEUTERANOPIA)), lab(simulate(orange, DEUTERANOPIA))),
    ).toBeLessThan(MIN_DIFFERENCE);
  });
});

describe('the dark theme chosen by the system and by the toggle', () => {
  it('sets the same colours', () => {
    const start = css.indexOf('@media (prefers-color-scheme: dark)');
    const system = new Map(
      [...css.slice(start, css.indexOf('}', start)).matchAll(/(--[\w-]+):\s*([^;]+);/g)].map(
        (m) => [m[1]!, m[2]!.trim()],
      ),
    );
    expect(system).toEqual(THEMES.dark);
  });
});
