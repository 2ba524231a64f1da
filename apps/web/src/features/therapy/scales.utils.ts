/**
 * The scales a therapist records in the same sitting as the goniometry: Modified Ashworth per joint,
 * JH-HLM, FAC and Section GG items, all as codes (CR §4). An item left on "not assessed" is not sent.
 */
import {
  FAC_LEVELS,
  GG_CODES,
  GG_ITEMS,
  JH_HLM_LEVELS,
  JOINT_SITES,
  MAS_CODES,
  SIDES,
  type FacLevel,
  type GgCode,
  type GgItem,
  type JhHlmLevel,
  type JointSite,
  type MasCode,
  type Side,
} from '@ossiwatch/domain';

export interface ScaleValues {
  /** Keyed `${side}:${site}`. */
  readonly mas: Readonly<Record<string, string>>;
  readonly jhHlm: string;
  readonly fac: string;
  readonly gg: Readonly<Record<string, string>>;
}

export const EMPTY_SCALES: ScaleValues = { mas: {}, jhHlm: '', fac: '', gg: {} };

export type SpasticityEntry = { site: JointSite; side: Side; grade: MasCode };
export type MobilityEntry =
  | { scale: 'jh_hlm'; code: JhHlmLevel }
  | { scale: 'fac'; code: FacLevel }
  | { scale: 'gg'; item: GgItem; code: GgCode };

function member<T extends string>(list: readonly T[], value: string | undefined): value is T {
  return value !== undefined && (list as readonly string[]).includes(value);
}

/** The codes chosen, in the shapes `rom.recordSession` takes; unchosen items are left out. */
export function scalesToSubmit(values: ScaleValues): {
  spasticity: SpasticityEntry[];
  mobility: MobilityEntry[];
} {
  const spasticity: SpasticityEntry[] = [];
  for (const side of SIDES) {
    for (const site of JOINT_SITES) {
      const grade = values.mas[`${side}:${site}`];
      if (member(MAS_CODES, grade)) spasticity.push({ site, side, grade });
    }
  }
  const mobility: MobilityEntry[] = [];
  if (member(JH_HLM_LEVELS, values.jhHlm)) mobility.push({ scale: 'jh_hlm', code: values.jhHlm });
  if (member(FAC_LEVELS, values.fac)) mobility.push({ scale: 'fac', code: values.fac });
  for (const item of GG_ITEMS) {
    const code = values.gg[item];
    if (member(GG_CODES, code)) mobility.push({ scale: 'gg', item, code });
  }
  return { spasticity, mobility };
}

export function countScales(values: ScaleValues): number {
  const { spasticity, mobility } = scalesToSubmit(values);
  return spasticity.length + mobility.length;
}
