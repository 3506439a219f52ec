// SPDX-License-Identifier: Apache-2.0
/**
 * @module Word lists for synthetic people and places: surnames weighted roughly by the 2020
 * census (公安部《二〇二〇年全国姓名报告》 top-100 order), given-name characters by sex, road
 * names for addresses, and a separate pool of rare characters reserved for canary names so a
 * canary can never collide with an ordinary resident (issue 2 item 6).
 */

/** Surnames with approximate shares in per-mille (`surname:share`, most common first). */
const SURNAME_TEXT =
  '王:71 李:70 张:67 刘:51 陈:46 杨:32 黄:25 赵:22 吴:20 周:19 徐:16 孙:15 马:14 朱:13 胡:12 郭:12 ' +
  '何:12 林:11 高:11 罗:9 郑:8 梁:7 谢:7 宋:7 唐:7 许:6 韩:6 冯:6 邓:6 曹:6 彭:6 曾:5 肖:5 田:5 董:5 ' +
  '袁:5 潘:5 于:5 蒋:5 蔡:4 余:4 杜:4 叶:4 程:4 苏:4 魏:4 吕:4 丁:4 任:4 沈:3 姚:3 卢:3 姜:3 崔:3 钟:3 ' +
  '谭:3 陆:3 汪:3 范:3 金:2 石:2 廖:2 贾:2 夏:2 韦:2 付:2 方:2 白:2 邹:2 孟:2 熊:1 秦:1 邱:1 江:1 尹:1 ' +
  '薛:1 闫:1 段:1 雷:1 侯:1 龙:1 史:1 陶:1 黎:1 贺:1 顾:1 毛:1 郝:1 龚:1 邵:1 万:1 钱:1 严:1 覃:1 武:1 ' +
  '戴:1 欧阳:0.3 上官:0.05 司马:0.05 诸葛:0.03 ';

export const SURNAMES: readonly (readonly [string, number])[] = SURNAME_TEXT.trim()
  .split(' ')
  .map((pair) => {
    const [name, share] = pair.split(':');
    return [name, Number(share)] as const;
  });

/** Given-name characters for men (男). */
export const MALE_CHARS = [
  ...'伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林建国志文海东峰博晨阳然子轩睿泽宏成天毅兵亮嘉晓永立新杨振',
];
/** Given-name characters for women (女). */
export const FEMALE_CHARS = [
  ...'芳娜敏静丽艳娟霞秀英玲桂燕萍红婷雪琳晶颖慧倩洁琴云莉欣怡佳梦涵悦思雨诗琪萱婉妍月晓嘉玉春美兰凤秋',
];

/**
 * Rare characters used only in canary names, never in {@link MALE_CHARS} or {@link FEMALE_CHARS}:
 * a canary name therefore never equals or contains an ordinary resident's name.
 */
export const CANARY_CHARS = [...'翥骥璆珩琮瑀璟翀彧昶骞煦曌翎濯霁'];
/** Compound surnames for canaries: four-character names with a two-character surname. */
export const CANARY_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '皇甫', '令狐', '慕容', '东方'];

/** Road names for synthetic street addresses. */
export const ROADS = [
  ...'人民路 解放路 中山路 建设路 和平路 新华路 胜利路 青年路 文化路 长江路 黄河路 复兴路 朝阳路 光明路 团结路 花园路 友谊路 工业路 学府路 湖滨路 滨河路 春申路 梅园路 金城路 清扬路 太湖大道 振兴路 同心路 育才路 健康路'.split(
    ' ',
  ),
];
/** Residential-compound suffixes (小区 names). */
export const COMPOUNDS = [...'花园 新村 公寓 家园 苑 名都 雅居 嘉园 小区 华庭'.split(' ')];

/** Underlying conditions (基础病史, GB/T 38962-2020 basic info) with adult prevalence. */
export const CONDITIONS: readonly (readonly [string, number])[] = [
  ['hypertension', 0.18],
  ['diabetes', 0.08],
  ['coronary-heart-disease', 0.04],
  ['copd', 0.03],
  ['asthma', 0.02],
  ['chronic-kidney-disease', 0.02],
  ['cancer', 0.01],
];

/** Vaccines used in China's COVID-19 campaign (names as on certificates). */
export const VACCINES = ['BBIBP-CorV', 'CoronaVac', 'WIBP-CorV', 'Ad5-nCoV', 'ZF2001'];
