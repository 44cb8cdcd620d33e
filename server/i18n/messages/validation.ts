/** Field validation messages, keyed by the stable field error code. */
import type { MessageSet } from '../catalog.js';

export const validation = {
  'validation.required': { zh: '此项必填', en: 'This field is required' },
  'validation.too-short': { zh: '至少 {min} 个字符', en: 'At least {min} characters' },
  'validation.too-long': { zh: '最多 {max} 个字符', en: 'At most {max} characters' },
  'validation.too-small': { zh: '不能小于 {min}', en: 'Must be at least {min}' },
  'validation.too-big': { zh: '不能大于 {max}', en: 'Must be at most {max}' },
  'validation.too-few': { zh: '至少 {min} 项', en: 'At least {min} items' },
  'validation.too-many': { zh: '最多 {max} 项', en: 'At most {max} items' },
  'validation.not-integer': { zh: '必须是整数', en: 'Must be a whole number' },
  'validation.not-number': { zh: '必须是数字', en: 'Must be a number' },
  'validation.invalid-type': { zh: '类型不正确', en: 'Wrong type' },
  'validation.invalid-value': { zh: '取值不在允许范围内', en: 'Not one of the allowed values' },
  'validation.invalid-email': { zh: '邮箱格式不正确', en: 'Not a valid email address' },
  'validation.invalid-date': { zh: '日期格式应为 YYYY-MM-DD', en: 'Dates are written YYYY-MM-DD' },
  'validation.invalid-url': { zh: '网址格式不正确', en: 'Not a valid URL' },
  'validation.invalid-format': { zh: '格式不正确', en: 'Wrong format' },
  'validation.invalid-key': {
    zh: '只能使用小写字母、数字、- 和 _，且以字母或数字开头',
    en: 'Use lowercase letters, digits, - and _, starting with a letter or digit',
  },
  'validation.invalid-reference-prefix': {
    zh: '1–8 位大写字母或数字，以字母开头（如 RS）',
    en: '1–8 upper-case letters or digits, starting with a letter (e.g. RS)',
  },
  'validation.invalid-slug': {
    zh: '只能使用小写字母、数字和 -（3–60 个字符）',
    en: 'Use lowercase letters, digits and - (3–60 characters)',
  },
  'validation.invalid-phone': {
    zh: '请输入 11 位中国大陆手机号',
    en: 'Enter an 11-digit mainland China mobile number',
  },
  'validation.unknown-field': { zh: '不认识的字段', en: 'Unknown field' },
  'validation.too-precise-2': { zh: '最多保留两位小数', en: 'At most two decimal places' },
  'validation.too-precise-3': { zh: '最多保留三位小数', en: 'At most three decimal places' },
  'validation.must-be-positive': { zh: '必须大于 0', en: 'Must be greater than 0' },
  'validation.max-not-above-min': { zh: '最高分必须大于最低分', en: 'The maximum must be above the minimum' },
  'validation.step-does-not-divide-range': {
    zh: '步长必须能整除分值范围',
    en: 'The step must divide the range evenly',
  },
  'validation.level-out-of-range': {
    zh: '等级描述的分值超出评分范围',
    en: 'A level descriptor lies outside the criterion range',
  },
  'validation.min-judges-too-small': {
    zh: '去掉最高最低分时，最少评委数必须大于 2k',
    en: 'With trimming, the minimum number of judges must exceed 2k',
  },
  'validation.must-sum-to-100': { zh: '各组权重之和必须为 100%', en: 'Group weights must add up to 100%' },
  'validation.unknown-reference': { zh: '引用的项目不存在', en: 'Refers to something that does not exist' },
  'validation.percent-between': { zh: '百分比必须在 1 到 99 之间', en: 'The percentage must be between 1 and 99' },
  'validation.duplicate-key': { zh: '标识重复', en: 'Duplicate key' },
  'validation.one-head-judge': { zh: '只能有一位评委组长', en: 'Only one head judge is allowed' },
  'validation.end-before-start': { zh: '结束日期不能早于开始日期', en: 'The end date cannot be before the start date' },
  'validation.password-too-short': { zh: '密码至少 10 个字符', en: 'Passwords need at least 10 characters' },
  'validation.invalid-levels': {
    zh: '每行格式：最低分-最高分 | 中文描述 | 英文描述（第 {line} 行）',
    en: 'One per line: min-max | Chinese label | English label (line {line})',
  },
} satisfies MessageSet;
