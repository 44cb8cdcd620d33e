/**
 * The demo contest, modelled on the reference event (PRODUCT.md): the 2024 Beijing City
 * Sub-center Innovation Medical Transformation Contest, as one contest document. Every person,
 * phone number, email address, company and project here is fictional.
 *
 * Pure data: no I/O. services/demo.service.ts imports it; tests parse it.
 */
import type { ContestDocumentInput } from '../domain/contest-document.js';

export const DEMO_SLUG = 'bj-subcenter-medtech-2024-demo';

type Input = ContestDocumentInput;
type CriterionInput = NonNullable<NonNullable<Input['rounds']>[number]['criteria']>[number];
type ProjectInput = NonNullable<Input['projects']>[number];

const level = (min: number, max: number, zh: string, en: string) => ({ min, max, label: { zh, en } });

/** The 100-point rubric used in both rounds (a fresh copy each call). */
function rubric(): CriterionInput[] {
  return [
    {
      key: 'innovation',
      name: { zh: '创新性', en: 'Innovation' },
      description:
        '技术、产品或方案的原创性与先进性，与国内外同类相比的突破。Originality and advance over comparable work at home and abroad.',
      min: 0,
      max: 20,
      step: 1,
      weight: 1,
      levels: [
        level(18, 20, '国际领先 / 原创突破', 'Internationally leading / original breakthrough'),
        level(14, 17, '国内领先，较现有方案有明显改进', 'Nationally leading, a clear improvement on current practice'),
        level(8, 13, '有一定创新，属改良型', 'Some novelty; an incremental improvement'),
        level(0, 7, '创新不足，与现有方案雷同', 'Little novelty; similar to existing solutions'),
      ],
    },
    {
      key: 'science',
      name: { zh: '科学性', en: 'Scientific rigor' },
      description:
        '原理与机制是否清楚，实验、临床前或临床数据是否充分可信。Sound mechanism; sufficient and credible experimental or clinical data.',
      min: 0,
      max: 20,
      step: 1,
      weight: 1,
      levels: [
        level(18, 20, '机理清晰，数据充分、可重复', 'Clear mechanism; ample, reproducible data'),
        level(14, 17, '依据较充分，关键数据齐备', 'Well founded; key data in place'),
        level(8, 13, '依据一般，数据尚不完整', 'Partly founded; data still incomplete'),
        level(0, 7, '依据不足，缺少关键数据', 'Weak basis; key data missing'),
      ],
    },
    {
      key: 'clinical',
      name: { zh: '临床应用价值', en: 'Clinical value' },
      description:
        '解决的临床问题是否重要，对诊疗效果、安全性、可及性或费用的改善程度。Importance of the clinical need and the gain in outcomes, safety, access or cost.',
      min: 0,
      max: 25,
      step: 1,
      weight: 1,
      levels: [
        level(22, 25, '解决重大未满足临床需求', 'Meets a major unmet clinical need'),
        level(17, 21, '明显改善现有诊疗', 'Clearly improves current diagnosis or treatment'),
        level(10, 16, '有一定临床价值', 'Some clinical value'),
        level(0, 9, '临床价值有限', 'Limited clinical value'),
      ],
    },
    {
      key: 'market',
      name: { zh: '转化前景（市场）', en: 'Translation prospects (market)' },
      description:
        '知识产权、注册路径、市场空间、商业模式与已有合作或订单。IP, regulatory path, market size, business model and existing partners or orders.',
      min: 0,
      max: 20,
      step: 1,
      weight: 1,
      levels: [
        level(18, 20, '转化路径清晰，已有合作或订单', 'Clear path to market; partners or orders in hand'),
        level(14, 17, '转化路径较清晰，市场空间大', 'Fairly clear path; a large market'),
        level(8, 13, '转化路径尚需验证', 'Path to market still to be proven'),
        level(0, 7, '转化前景不明确', 'Unclear prospects'),
      ],
    },
    {
      key: 'team',
      name: { zh: '团队', en: 'Team' },
      description:
        '团队结构、医工结合与产学研协同、核心成员经验与投入。Team structure, clinical-engineering-industry mix, experience and commitment.',
      min: 0,
      max: 15,
      step: 1,
      weight: 1,
      levels: [
        level(
          13,
          15,
          '医工结合完整，经验丰富，全职投入',
          'Complete clinical-engineering mix; experienced and full-time',
        ),
        level(9, 12, '结构较合理，关键岗位齐备', 'Reasonable structure; key roles filled'),
        level(5, 8, '存在明显短板', 'Clear gaps in the team'),
        level(0, 4, '团队不完整', 'Incomplete team'),
      ],
    },
  ];
}

const tier = (key: string, zh: string, en: string, precedence: number, quota: number | 'rest') => ({
  key,
  name: { zh, en },
  scope: 'track' as const,
  precedence,
  ...(quota === 'rest'
    ? { quotaKind: 'rest' as const, quota: 0, minScore: 75 }
    : { quotaKind: 'count' as const, quota, minScore: null }),
});

interface ProjectSeed {
  title: string;
  trackKey: string;
  institution: string;
  leader: [name: string, email: string];
  members: [name: string, role: string][];
  stage: ProjectInput['stage'];
  summary: string;
  outOfCompetition?: boolean;
}

const PROJECTS: ProjectSeed[] = [
  // 高端医疗器械
  {
    title: '可完全降解镁合金药物洗脱冠脉支架',
    trackKey: 'devices',
    institution: '北京通和微创医疗器械有限公司',
    leader: ['张伟', 'zhang.wei@example.com'],
    members: [
      ['刘思远', '材料研发负责人'],
      ['何静', '临床注册经理'],
      ['马骁', '工艺工程师'],
    ],
    stage: 'clinical-trial',
    summary:
      '高纯镁合金支架配合雷帕霉素涂层，植入后约 12 个月完全降解，避免金属永久留存。已完成大动物实验，首次人体试验入组中。',
  },
  {
    title: '腹腔镜手术机器人力反馈器械',
    trackKey: 'devices',
    institution: '北京医学科技大学',
    leader: ['李娜', 'li.na@example.cn'],
    members: [
      ['王子豪', '博士研究生'],
      ['陈曦', '普外科医师（临床顾问）'],
    ],
    stage: 'prototype',
    summary: '在器械末端集成光纤光栅力传感器，为医生提供亚牛顿级力觉反馈，减少组织误损伤。样机已完成离体组织验证。',
  },
  {
    title: '床旁便携式低场磁共振成像系统',
    trackKey: 'devices',
    institution: '首都生物医学工程研究院',
    leader: ['王磊', 'wang.lei@example.cn'],
    members: [
      ['赵晨', '射频线圈工程师'],
      ['孙悦', '图像算法工程师'],
      ['周航', '急诊科医师（临床顾问）'],
    ],
    stage: 'preclinical',
    summary: '0.1 T 永磁体、可推行至急诊和 ICU 床旁，十分钟内完成头颅成像，用于卒中的快速分诊。',
  },
  {
    title: '连续血糖监测与胰岛素泵闭环系统',
    trackKey: 'devices',
    institution: '北京华益糖尿病科技有限公司',
    leader: ['刘洋', 'liu.yang@example.com'],
    members: [
      ['郭婷', '嵌入式软件负责人'],
      ['钱程', '内分泌科医师（临床顾问）'],
    ],
    stage: 'registration',
    summary: '14 天免校准血糖传感器与贴敷式胰岛素泵组成闭环，自适应算法自动调整基础率。已进入注册检验阶段。',
  },
  {
    title: '骨科术中三维导航定位系统',
    trackKey: 'devices',
    institution: '北京城市副中心人民医院',
    leader: ['陈静', 'chen.jing@example.cn'],
    members: [
      ['黄博', '骨科主治医师'],
      ['吕楠', '软件工程师'],
      ['宋佳', '研究护士'],
    ],
    stage: 'clinical-trial',
    summary: '基于术中锥形束 CT 与光学追踪，实现脊柱椎弓根螺钉置钉亚毫米级导航，降低透视次数和辐射剂量。',
  },
  {
    title: '经导管主动脉瓣膜及可回收输送系统',
    trackKey: 'devices',
    institution: '北京心桥医疗科技有限公司',
    leader: ['杨帆', 'yang.fan@example.com'],
    members: [
      ['冯磊', '结构设计工程师'],
      ['韩雪', '动物实验负责人'],
    ],
    stage: 'preclinical',
    summary: '牛心包干瓣技术配合可完全回收的 14F 输送系统，降低瓣周漏和永久起搏器植入率。',
  },
  // 创新药品
  {
    title: '靶向 KRAS G12D 突变的口服小分子抑制剂',
    trackKey: 'drugs',
    institution: '北京运河生物医药有限公司',
    leader: ['赵敏', 'zhao.min@example.com'],
    members: [
      ['许凯', '药物化学总监'],
      ['邓琳', '药理毒理负责人'],
      ['彭飞', '项目经理'],
    ],
    stage: 'preclinical',
    summary: '针对胰腺癌和结直肠癌中常见的 KRAS G12D 突变，候选化合物口服生物利用度良好，已启动 IND 申报准备。',
  },
  {
    title: '治疗难治性痛风的长效聚乙二醇化尿酸酶',
    trackKey: 'drugs',
    institution: '北京医学科技大学',
    leader: ['黄磊', 'huang.lei@example.cn'],
    members: [
      ['罗媛', '蛋白工程研究员'],
      ['唐宁', '风湿免疫科医师（临床顾问）'],
    ],
    stage: 'preclinical',
    summary: '经定点修饰降低免疫原性，每四周给药一次，在动物模型中持续控制血尿酸并溶解痛风石。',
  },
  {
    title: '阿尔茨海默病 tau 蛋白靶向降解剂',
    trackKey: 'drugs',
    institution: '北京宋庄脑科学科技有限公司',
    leader: ['周婷', 'zhou.ting@example.com'],
    members: [
      ['蒋毅', '计算化学负责人'],
      ['魏然', '神经药理研究员'],
    ],
    stage: 'concept',
    summary: '以 PROTAC 技术选择性降解病理性 tau 蛋白，先导化合物可透过血脑屏障，正在优化成药性。',
  },
  {
    title: '个体化肿瘤新抗原 mRNA 疫苗',
    trackKey: 'drugs',
    institution: '北京燕京肿瘤医院',
    leader: ['吴昊', 'wu.hao@example.cn'],
    members: [
      ['曹颖', '生物信息学负责人'],
      ['田野', '肿瘤内科主治医师'],
      ['薛蕾', 'GMP 生产负责人'],
    ],
    stage: 'clinical-trial',
    summary: '从患者肿瘤测序数据预测新抗原，六周内完成个体化 mRNA 疫苗制备，联合免疫检查点抑制剂用于术后辅助治疗。',
  },
  {
    title: '源自中药单体的抗肺纤维化一类新药',
    trackKey: 'drugs',
    institution: '北京本草新药研究院',
    leader: ['徐丽', 'xu.li@example.cn'],
    members: [
      ['潘涛', '天然产物化学研究员'],
      ['董欣', '临床研究经理'],
    ],
    stage: 'clinical-trial',
    summary: '从传统方剂中筛得活性单体并进行结构优化，可抑制 TGF-β 通路，正在开展 Ⅱ 期临床试验。',
  },
  {
    title: '儿童专用抗癫痫口溶膜新剂型',
    trackKey: 'drugs',
    institution: '北京副中心妇幼保健院',
    leader: ['孙倩', 'sun.qian@example.cn'],
    members: [
      ['余洁', '药剂科主管药师'],
      ['谭军', '制剂工程师'],
      ['白露', '儿科神经专业医师'],
    ],
    stage: 'registration',
    summary: '按体重分级的口溶膜规格，免吞咽、剂量准确，解决儿童用药“掰药片”的难题。已提交上市申请。',
  },
  // 前沿诊疗技术
  {
    title: 'CD19 CAR-T 细胞治疗难治性系统性红斑狼疮',
    trackKey: 'therapies',
    institution: '北京通惠医院',
    leader: ['马超', 'ma.chao@example.cn'],
    members: [
      ['金鑫', '细胞制备负责人'],
      ['石岩', '风湿免疫科主治医师'],
    ],
    stage: 'clinical-trial',
    summary: '一次输注清除致病性 B 细胞，研究者发起的临床研究中受试者已实现无药缓解。',
  },
  {
    title: '基于 cfDNA 甲基化的多癌种早筛检测',
    trackKey: 'therapies',
    institution: '北京台湖精准医学有限公司',
    leader: ['朱琳', 'zhu.lin@example.com'],
    members: [
      ['范磊', '首席科学家'],
      ['陆瑶', '生物信息工程师'],
      ['常青', '注册事务经理'],
    ],
    stage: 'clinical-trial',
    summary: '一管血检测六种高发癌症并提示组织来源，前瞻性队列研究入组超过一万人。',
  },
  {
    title: '磁共振引导聚焦超声治疗特发性震颤',
    trackKey: 'therapies',
    institution: '北京城市副中心人民医院',
    leader: ['胡斌', 'hu.bin@example.cn'],
    members: [
      ['邹阳', '神经外科主治医师'],
      ['秦雯', '医学物理师'],
    ],
    stage: 'clinical-trial',
    summary: '无需开颅，在磁共振实时测温引导下精准毁损丘脑靶点，术后即刻改善震颤。',
  },
  {
    title: '3D 打印个性化可降解骨缺损修复支架',
    trackKey: 'therapies',
    institution: '北京医学科技大学',
    leader: ['郭丹', 'guo.dan@example.cn'],
    members: [
      ['任远', '增材制造工程师'],
      ['夏雨', '口腔颌面外科医师'],
      ['姚明月', '硕士研究生'],
    ],
    stage: 'preclinical',
    summary: '根据患者 CT 数据打印仿生多孔支架，负载缓释成骨因子，用于颌面部大段骨缺损修复。',
    outOfCompetition: true,
  },
  {
    title: '早期食管癌内镜光动力治疗新方案',
    trackKey: 'therapies',
    institution: '北京燕京肿瘤医院',
    leader: ['林峰', 'lin.feng@example.cn'],
    members: [
      ['钟华', '消化内镜医师'],
      ['贺楠', '药学研究员'],
    ],
    stage: 'clinical-trial',
    summary: '新型光敏剂配合内镜下环周照射，在保留食管功能的同时治疗早期病变，降低术后狭窄率。',
  },
  {
    title: '脑机接口辅助卒中后上肢康复系统',
    trackKey: 'therapies',
    institution: '北京宋庄脑科学科技有限公司',
    leader: ['何雪', 'he.xue@example.com'],
    members: [
      ['汪洋', '脑电算法工程师'],
      ['段丽', '康复治疗师'],
    ],
    stage: 'prototype',
    summary: '非侵入式脑电识别运动意图，驱动外骨骼手套完成主动训练，形成“意念—运动—反馈”闭环。',
  },
  // AI+医疗健康
  {
    title: '眼底影像 AI 多病种筛查系统',
    trackKey: 'ai',
    institution: '北京潞城智医科技有限公司',
    leader: ['高翔', 'gao.xiang@example.com'],
    members: [
      ['梁爽', '算法负责人'],
      ['侯敏', '眼科医师（临床顾问）'],
      ['严飞', '商务拓展经理'],
    ],
    stage: 'registration',
    summary: '一张眼底照片筛查糖网、青光眼、黄斑变性等十余种眼病，面向社区和体检中心部署。',
  },
  {
    title: '基于大语言模型的门诊病历质控助手',
    trackKey: 'ai',
    institution: '北京张家湾数字健康科技有限公司',
    leader: ['罗佳', 'luo.jia@example.com'],
    members: [
      ['叶凡', '自然语言处理工程师'],
      ['戴琪', '医务处质控专员'],
    ],
    stage: 'prototype',
    summary: '本地部署的医疗大模型实时检查门诊病历的完整性和合理性，给出修改建议，减轻质控人员工作量。',
  },
  {
    title: 'ICU 脓毒症早期预警模型',
    trackKey: 'ai',
    institution: '北京通惠医院',
    leader: ['郑凯', 'zheng.kai@example.cn'],
    members: [
      ['程露', '重症医学科主治医师'],
      ['袁博', '数据科学家'],
    ],
    stage: 'clinical-trial',
    summary: '融合生命体征与检验数据，提前 6 小时预测脓毒症，已在两家医院 ICU 开展前瞻性验证。',
  },
  {
    title: '胃癌病理切片 AI 辅助诊断平台',
    trackKey: 'ai',
    institution: '北京燕京肿瘤医院',
    leader: ['谢颖', 'xie.ying@example.cn'],
    members: [
      ['莫然', '病理科主治医师'],
      ['龚辉', '深度学习工程师'],
      ['邱雅', '产品经理'],
    ],
    stage: 'registration',
    summary: '全切片图像上自动识别并勾画癌变区域，辅助病理医生提高阅片效率和一致性。',
  },
  {
    title: '社区慢病管理 AI 随访助手',
    trackKey: 'ai',
    institution: '北京运河智慧健康有限公司',
    leader: ['宋涛', 'song.tao@example.com'],
    members: [
      ['杜娟', '全科医师（临床顾问）'],
      ['陶然', '语音交互工程师'],
    ],
    stage: 'market',
    summary: '以电话和小程序语音自动随访高血压、糖尿病患者，异常情况及时转给家庭医生，已在多个社区卫生服务中心使用。',
  },
  {
    title: '冠脉 CTA 斑块智能分析软件',
    trackKey: 'ai',
    institution: '北京医学科技大学',
    leader: ['韩梅', 'han.mei@example.cn'],
    members: [
      ['季风', '影像科医师'],
      ['尹凡', '博士研究生'],
    ],
    stage: 'clinical-trial',
    summary: '自动分割冠脉并量化斑块成分与血流储备分数，为胸痛患者提供一站式无创评估。',
  },
];

function projects(): ProjectInput[] {
  return PROJECTS.map((p, i) => {
    const n = i + 1;
    return {
      ref: `RS-2024-${String(n).padStart(4, '0')}`,
      title: p.title,
      trackKey: p.trackKey,
      institution: p.institution,
      // 1380000xxxx: an obviously fictional number that still passes the mobile-number check.
      leader: { name: p.leader[0], phone: `1380000${String(n).padStart(4, '0')}`, email: p.leader[1] },
      members: p.members.map(([name, role]) => ({ name, role })),
      stage: p.stage,
      summary: p.summary,
      status: 'approved',
      outOfCompetition: p.outOfCompetition ?? false,
    };
  });
}

/** The demo contest as an import document (input form: defaults are filled in by ContestDocument.parse). */
export function demoContest(): ContestDocumentInput {
  return {
    slug: DEMO_SLUG,
    name: {
      zh: '2024 北京城市副中心创新医学转化大赛（演示）',
      en: '2024 Beijing City Sub-center Innovation Medical Transformation Contest (demo)',
    },
    theme: {
      zh: '打造医产协同示范区，发展健康新质生产力',
      en: 'Building a model zone where medicine and industry work together; new quality productive forces for health',
    },
    organizer:
      '主办：北京城市副中心管理委员会、通州区人民政府、北京医学科技大学（演示）；承办：运河医工创新孵化器、京运传媒有限公司（演示）',
    venue: '北京市通州区运河商务区 · 副中心会议中心多功能厅（演示）',
    startsOn: '2024-10-14',
    endsOn: '2024-11-16',
    status: 'live',
    tracks: [
      {
        key: 'devices',
        name: { zh: '高端医疗器械', en: 'High-end medical devices' },
        description: '影像设备、手术机器人、植介入器械等高端医疗装备。Imaging, surgical robots, implantable devices.',
      },
      {
        key: 'drugs',
        name: { zh: '创新药品', en: 'Innovative drugs' },
        description:
          '小分子、生物药、核酸药物及改良型新药。Small molecules, biologics, nucleic-acid drugs, improved formulations.',
      },
      {
        key: 'therapies',
        name: { zh: '前沿诊疗技术', en: 'Frontier diagnosis and treatment' },
        description:
          '细胞治疗、早筛早诊、微无创治疗与再生医学。Cell therapy, early screening, minimally invasive care, regenerative medicine.',
      },
      {
        key: 'ai',
        name: { zh: 'AI+医疗健康', en: 'AI + healthcare' },
        description:
          '人工智能辅助诊断、临床决策、医院管理与健康服务。AI for diagnosis, clinical decisions, hospital operations and care.',
      },
    ],
    rounds: [
      {
        key: 'prelim',
        name: { zh: '初赛（网络评审）', en: 'Preliminary round (online review)' },
        kind: 'review',
        pitchSeconds: 0,
        qaSeconds: 0,
        combine: { mode: 'reset', priorWeightPercent: 0 },
        scoring: {
          method: 'mean',
          decimals: 2,
          tieBreaks: [{ kind: 'criterion', criterionKey: 'clinical' }, { kind: 'head-judge' }],
          missingScore: 'exclude',
        },
        criteria: rubric(),
      },
      {
        key: 'final',
        name: { zh: '决赛（现场路演）', en: 'Final (live roadshow)' },
        kind: 'roadshow',
        pitchSeconds: 300,
        qaSeconds: 300,
        combine: { mode: 'reset', priorWeightPercent: 0 },
        scoring: {
          method: 'trimmed-mean',
          trim: 1,
          minJudgesForTrim: 5,
          decimals: 2,
          tieBreaks: [
            { kind: 'untrimmed-mean' },
            { kind: 'criterion', criterionKey: 'clinical' },
            { kind: 'head-judge' },
          ],
          missingScore: 'exclude',
          normalization: 'none',
          groupWeights: null,
        },
        criteria: rubric(),
      },
    ],
    prizeTiers: [
      tier('first', '一等奖', 'First prize', 1, 1),
      tier('second', '二等奖', 'Second prize', 2, 1),
      tier('third', '三等奖', 'Third prize', 3, 2),
      tier('excellence', '优秀奖', 'Excellence award', 4, 'rest'),
    ],
    judges: [
      {
        key: 'wang-jianguo',
        name: '王建国',
        title: '主任医师、教授（评委组长）',
        institution: '北京城市副中心人民医院',
        group: 'clinical',
        isHeadJudge: true,
        email: 'wang.jianguo@example.cn',
      },
      {
        key: 'li-xiulan',
        name: '李秀兰',
        title: '主任医师、肿瘤内科主任',
        institution: '北京燕京肿瘤医院',
        group: 'clinical',
        email: 'li.xiulan@example.cn',
      },
      {
        key: 'chen-zhiyuan',
        name: '陈志远',
        title: '主任医师、心内科主任',
        institution: '北京通惠医院',
        group: 'clinical',
        email: 'chen.zhiyuan@example.cn',
      },
      {
        key: 'liu-haiyan',
        name: '刘海燕',
        title: '教授、博士生导师',
        institution: '北京医学科技大学',
        group: 'academic',
        email: 'liu.haiyan@example.cn',
      },
      {
        key: 'zhao-mingzhe',
        name: '赵明哲',
        title: '研究员',
        institution: '首都生物医学工程研究院',
        group: 'academic',
        email: 'zhao.mingzhe@example.cn',
      },
      {
        key: 'sun-lixin',
        name: '孙立新',
        title: '教授、药学院副院长',
        institution: '京华药科大学',
        group: 'academic',
        email: 'sun.lixin@example.cn',
      },
      {
        key: 'zhou-xiaoting',
        name: '周晓婷',
        title: '合伙人',
        institution: '燕园健康产业投资基金',
        group: 'investor',
        email: 'zhou.xiaoting@example.com',
      },
      {
        key: 'wu-haoran',
        name: '吴浩然',
        title: '董事总经理',
        institution: '运河创新投资有限公司',
        group: 'investor',
        email: 'wu.haoran@example.com',
      },
      {
        key: 'zheng-yaqin',
        name: '郑雅琴',
        title: '投资总监',
        institution: '京津冀医疗健康创业投资基金',
        group: 'investor',
        email: 'zheng.yaqin@example.com',
      },
      {
        key: 'huang-zhenhua',
        name: '黄振华',
        title: '副总裁',
        institution: '华康医疗器械集团',
        group: 'industry',
        email: 'huang.zhenhua@example.com',
      },
      {
        key: 'ma-junjie',
        name: '马俊杰',
        title: '首席医学官',
        institution: '启明医药集团',
        group: 'industry',
        email: 'ma.junjie@example.com',
      },
    ],
    projects: projects(),
    conflicts: [
      {
        judgeKey: 'wu-haoran',
        projectRef: 'RS-2024-0007',
        reason: '评委所在基金为该项目天使轮投资方（Judge’s fund is an angel investor in this project）',
        source: 'manual',
      },
    ],
  };
}
