// The message catalogues, one per locale (see docs/portal-ui.md for how regional files fall back).
import type { UiLocale } from '../i18n/locale.ts';
import l_bg from './bg.json' with { type: 'json' };
import l_cs from './cs.json' with { type: 'json' };
import l_da from './da.json' with { type: 'json' };
import l_de from './de.json' with { type: 'json' };
import l_el from './el.json' with { type: 'json' };
import l_en from './en.json' with { type: 'json' };
import l_en_AU from './en-AU.json' with { type: 'json' };
import l_en_CA from './en-CA.json' with { type: 'json' };
import l_en_GB from './en-GB.json' with { type: 'json' };
import l_en_IE from './en-IE.json' with { type: 'json' };
import l_en_IN from './en-IN.json' with { type: 'json' };
import l_en_NZ from './en-NZ.json' with { type: 'json' };
import l_en_SG from './en-SG.json' with { type: 'json' };
import l_es from './es.json' with { type: 'json' };
import l_es_419 from './es-419.json' with { type: 'json' };
import l_et from './et.json' with { type: 'json' };
import l_fi from './fi.json' with { type: 'json' };
import l_fil from './fil.json' with { type: 'json' };
import l_fr from './fr.json' with { type: 'json' };
import l_fr_CA from './fr-CA.json' with { type: 'json' };
import l_hr from './hr.json' with { type: 'json' };
import l_hu from './hu.json' with { type: 'json' };
import l_id from './id.json' with { type: 'json' };
import l_it from './it.json' with { type: 'json' };
import l_ja from './ja.json' with { type: 'json' };
import l_ko from './ko.json' with { type: 'json' };
import l_lt from './lt.json' with { type: 'json' };
import l_lv from './lv.json' with { type: 'json' };
import l_ms from './ms.json' with { type: 'json' };
import l_mt from './mt.json' with { type: 'json' };
import l_nb from './nb.json' with { type: 'json' };
import l_nl from './nl.json' with { type: 'json' };
import l_pl from './pl.json' with { type: 'json' };
import l_pt from './pt.json' with { type: 'json' };
import l_pt_BR from './pt-BR.json' with { type: 'json' };
import l_ro from './ro.json' with { type: 'json' };
import l_ru from './ru.json' with { type: 'json' };
import l_sk from './sk.json' with { type: 'json' };
import l_sl from './sl.json' with { type: 'json' };
import l_sv from './sv.json' with { type: 'json' };
import l_th from './th.json' with { type: 'json' };
import l_tr from './tr.json' with { type: 'json' };
import l_vi from './vi.json' with { type: 'json' };
import l_zh from './zh.json' with { type: 'json' };
import l_zh_HK from './zh-HK.json' with { type: 'json' };
import l_zh_TW from './zh-TW.json' with { type: 'json' };

/** Each locale's file as written: complete for a base language, only the differences for a regional one. */
export const CATALOGUE_FILES: Record<UiLocale, Record<string, string>> = {
  bg: l_bg,
  cs: l_cs,
  da: l_da,
  de: l_de,
  el: l_el,
  en: l_en,
  'en-AU': l_en_AU,
  'en-CA': l_en_CA,
  'en-GB': l_en_GB,
  'en-IE': l_en_IE,
  'en-IN': l_en_IN,
  'en-NZ': l_en_NZ,
  'en-SG': l_en_SG,
  es: l_es,
  'es-419': l_es_419,
  et: l_et,
  fi: l_fi,
  fil: l_fil,
  fr: l_fr,
  'fr-CA': l_fr_CA,
  hr: l_hr,
  hu: l_hu,
  id: l_id,
  it: l_it,
  ja: l_ja,
  ko: l_ko,
  lt: l_lt,
  lv: l_lv,
  ms: l_ms,
  mt: l_mt,
  nb: l_nb,
  nl: l_nl,
  pl: l_pl,
  pt: l_pt,
  'pt-BR': l_pt_BR,
  ro: l_ro,
  ru: l_ru,
  sk: l_sk,
  sl: l_sl,
  sv: l_sv,
  th: l_th,
  tr: l_tr,
  vi: l_vi,
  zh: l_zh,
  'zh-HK': l_zh_HK,
  'zh-TW': l_zh_TW,
};
