import {
  FAC_LABELS,
  FAC_LEVELS,
  GG_CODE_LABELS,
  GG_CODES,
  GG_ITEM_LABELS,
  GG_ITEMS,
  JH_HLM_LABELS,
  JH_HLM_LEVELS,
  JOINT_SITES,
  MAS_CODES,
  MAS_LABELS,
  SIDES,
} from '@ossiwatch/domain';
import { siteName } from '../../../lib/labels.ts';
import type { ScaleValues } from '../scales.utils.ts';

const NOT_ASSESSED = 'not assessed';

/** Spasticity and mobility in the same sitting; every field may stay "not assessed". */
export function ScalesSection({
  values,
  onChange,
}: {
  values: ScaleValues;
  onChange: (next: ScaleValues) => void;
}): React.JSX.Element {
  return (
    <section aria-labelledby="scales-heading">
      <h2 id="scales-heading">Spasticity and mobility</h2>
      <fieldset>
        <legend>Modified Ashworth (spasticity, CR §4.4)</legend>
        <div className="scale-grid">
          {SIDES.flatMap((side) =>
            JOINT_SITES.map((site) => {
              const key = `${side}:${site}`;
              const id = `mas-${side}-${site}`;
              return (
                <div className="field" key={key}>
                  <label htmlFor={id}>{siteName(side, site)} MAS</label>
                  <select
                    id={id}
                    value={values.mas[key] ?? ''}
                    onChange={(event) =>
                      onChange({ ...values, mas: { ...values.mas, [key]: event.target.value } })
                    }
                  >
                    <option value="">{NOT_ASSESSED}</option>
                    {MAS_CODES.map((code) => (
                      <option key={code} value={code}>
                        {code}: {MAS_LABELS[code]}
                      </option>
                    ))}
                  </select>
                </div>
              );
            }),
          )}
        </div>
      </fieldset>
      <div className="scale-grid">
        <div className="field">
          <label htmlFor="jh-hlm">JH-HLM (highest level of mobility)</label>
          <select
            id="jh-hlm"
            value={values.jhHlm}
            onChange={(event) => onChange({ ...values, jhHlm: event.target.value })}
          >
            <option value="">{NOT_ASSESSED}</option>
            {JH_HLM_LEVELS.map((code) => (
              <option key={code} value={code}>
                {code}: {JH_HLM_LABELS[code]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="fac">FAC (functional ambulation category)</label>
          <select
            id="fac"
            value={values.fac}
            onChange={(event) => onChange({ ...values, fac: event.target.value })}
          >
            <option value="">{NOT_ASSESSED}</option>
            {FAC_LEVELS.map((code) => (
              <option key={code} value={code}>
                {code}: {FAC_LABELS[code]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <details>
        <summary>Section GG self-care and mobility items</summary>
        <div className="scale-grid">
          {GG_ITEMS.map((item) => (
            <div className="field" key={item}>
              <label htmlFor={`gg-${item}`}>
                {item} {GG_ITEM_LABELS[item]}
              </label>
              <select
                id={`gg-${item}`}
                value={values.gg[item] ?? ''}
                onChange={(event) =>
                  onChange({ ...values, gg: { ...values.gg, [item]: event.target.value } })
                }
              >
                <option value="">{NOT_ASSESSED}</option>
                {GG_CODES.map((code) => (
                  <option key={code} value={code}>
                    {code}: {GG_CODE_LABELS[code]}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </div>
      </details>
    </section>
  );
}
