#!/usr/bin/env python3
"""The synthetic guide: N items x 4 languages, as a signpost site and as a Hugo site.

Deterministic (seeded). Items are communities, policies (several communities and
scenarios each), facilities (YAML for signpost, Markdown pages for Hugo) and
plain pages, with realistic Markdown (headings, lists, tables, links between
items) and text lengths like the real guide's: about 700 Chinese characters or
400 English/Russian words per page.

Usage: synth.py N OUT  ->  OUT/signpost/ and OUT/hugo/
"""
import os
import random
import sys

LANGS = ["zh-Hans", "zh-Hant", "en", "ru"]
SCENARIOS = ["livable", "neighborhood", "education-culture", "innovation", "health",
             "transport", "low-carbon", "services", "governance"]
KINDS = ["apartment", "school", "hospital", "service-station", "street", "building", "platform", "other"]

ZH = ("国际 人才 社区 服务 政策 学校 医院 公寓 外籍 专家 创新 创业 平台 建设 北京 望京 顺义 怀柔 通州 "
      "科学城 中关村 首钢 开发区 生活 工作 居住 便利 咨询 办理 许可 居留 证件 教育 子女 医疗 保险 住房 "
      "交通 地铁 公交 生态 低碳 绿色 邻里 交往 文化 活动 标识 系统 试点 项目 清单 年度 推进 完善 提升 "
      "优化 环境 语言 英语 俄语 翻译 窗口 站点 街区 示范 大厦 研究院 中心 合作 机构 企业 人员 家庭 "
      "社会 城市 区域 规划 设施 配套 场景 指标 评价 标准 导则 发布 会议 记者 介绍 表示 目前 已经 正在 "
      "计划 预计 提供 支持 鼓励 吸引 引进 留住 方便 快捷 一站式 线上 线下 热线 预约 多语种 外国人").split()
ZH_HANT = {"国": "國", "际": "際", "区": "區", "务": "務", "学": "學", "医": "醫", "寓": "寓", "专": "專",
           "业": "業", "设": "設", "顺": "順", "怀": "懷", "观": "觀", "关": "關", "钢": "鋼", "发": "發",
           "活": "活", "办": "辦", "许": "許", "证": "證", "疗": "療", "险": "險", "住": "住", "铁": "鐵",
           "态": "態", "碳": "碳", "绿": "綠", "邻": "鄰", "里": "里", "动": "動", "标": "標", "识": "識",
           "统": "統", "试": "試", "项": "項", "单": "單", "进": "進", "优": "優", "环": "環", "语": "語",
           "译": "譯", "窗": "窗", "点": "點", "范": "範", "厦": "廈", "机": "機", "构": "構", "员": "員",
           "庭": "庭", "会": "會", "规": "規", "划": "劃", "标准": "標準", "导": "導", "则": "則", "记": "記",
           "绍": "紹", "经": "經", "计": "計", "预": "預", "鼓": "鼓", "励": "勵", "吸": "吸", "线": "線",
           "热": "熱", "约": "約", "种": "種", "外": "外", "这": "這", "个": "個", "们": "們", "为": "為"}
EN = ("international talent community service policy school hospital apartment foreign expert "
      "innovation startup platform construction Beijing Wangjing Shunyi Huairou Tongzhou science city "
      "Zhongguancun Shougang development area life work housing convenient consultation permit residence "
      "document education children medical insurance transport subway bus ecology green neighbourhood "
      "culture activity signage system pilot project list annual improve environment language English "
      "Russian translation window station street demonstration building institute centre cooperation "
      "company family city district planning facility scenario indicator evaluation standard guideline "
      "press conference support encourage attract online offline hotline appointment multilingual the a "
      "of and to in for with on by from is are was were has have will can new more each every their its").split()
RU = ("международный специалист сообщество услуга политика школа больница апартаменты иностранный "
      "эксперт инновации стартап платформа строительство Пекин Ванцзин Шуньи Хуайжоу Тунчжоу научный "
      "город Чжунгуаньцунь Шоуган зона развития жизнь работа жильё удобный консультация разрешение "
      "проживание документ образование дети медицинский страхование транспорт метро автобус экология "
      "зелёный соседи культура мероприятие указатель система пилотный проект список ежегодный улучшение "
      "среда язык английский русский перевод окно пункт улица показательный здание институт центр "
      "сотрудничество компания семья район планирование объект сценарий показатель оценка стандарт "
      "пресс-конференция поддержка привлекать онлайн горячая линия запись многоязычный в и на с по для "
      "из о что это как также все каждый новый больше их").split()


def zh_hant(text):
    return "".join(ZH_HANT.get(c, c) for c in text)


class Writer:
    def __init__(self, rng):
        self.rng = rng

    def zh_sentence(self):
        n = self.rng.randint(8, 16)
        return "".join(self.rng.choice(ZH) for _ in range(n)) + "。"

    def words_sentence(self, vocab):
        n = self.rng.randint(9, 18)
        words = [self.rng.choice(vocab) for _ in range(n)]
        words[0] = words[0][:1].upper() + words[0][1:]
        return " ".join(words) + "."

    def sentence(self, lang):
        if lang.startswith("zh"):
            s = self.zh_sentence()
            return zh_hant(s) if lang == "zh-Hant" else s
        return self.words_sentence(EN if lang == "en" else RU)

    def paragraph(self, lang, n):
        joiner = "" if lang.startswith("zh") else " "
        return joiner.join(self.sentence(lang) for _ in range(n))


def heading(lang, i):
    return {"zh-Hans": f"第{i}部分", "zh-Hant": f"第{i}部分", "en": f"Part {i}", "ru": f"Часть {i}"}[lang]


def body(w, lang, links, hugo, figure):
    """About 700 Chinese characters or 400 words, with headings, a list, a table and links."""
    out = []
    for part in range(1, 4):
        out.append(f"## {heading(lang, part)} {{#part-{part}}}\n")
        out.append(w.paragraph(lang, 4 if lang.startswith("zh") else 6) + "\n")
        if part == 2:
            for target in links:
                label = w.sentence(lang).rstrip("。.")[:24]
                href = f'{{{{< relref "/{target}" >}}}}' if hugo else f"@/{target}.md"
                out.append(f"- [{label}]({href})")
            out.append("")
        if part == 3:
            out.append(f"| {heading(lang, 1)} | {figure} |\n|---|---|\n| {heading(lang, 2)} | {figure + 1} |\n")
    return "\n".join(out) + "\n"


def yaml_str(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(n, out):
    rng = random.Random(20261122)
    w = Writer(rng)
    n_comm = max(8, n // 100)
    n_fac = n // 2
    n_pol = (n - n_comm - n_fac) * 3 // 4
    n_page = n - n_comm - n_fac - n_pol
    items = ([("communities", f"c{i}") for i in range(n_comm)] + [("policies", f"p{i}") for i in range(n_pol)]
             + [("facilities", f"f{i}") for i in range(n_fac)] + [("news", f"n{i}") for i in range(n_page)])
    sp = os.path.join(out, "signpost")
    hg = os.path.join(out, "hugo")
    for root in (sp, hg):
        os.makedirs(os.path.join(root, "content"), exist_ok=True)

    with open(os.path.join(sp, "site.yaml"), "w") as f:
        f.write("base_url: https://bench.example.org/\nlanguages: [zh-Hans, zh-Hant, en, ru]\n"
                "default_language: zh-Hans\nfallback: [en, zh-Hans]\ntitle:\n  zh-Hans: 基准\n  zh-Hant: 基準\n"
                "  en: Bench\n  ru: Тест\n")
    with open(os.path.join(hg, "hugo.toml"), "w") as f:
        f.write('baseURL = "https://bench.example.org/"\ndefaultContentLanguage = "zh-hans"\n'
                "defaultContentLanguageInSubdir = true\ndisableKinds = [\"RSS\"]\n"
                '[taxonomies]\n  scenario = "scenarios"\n  community = "communities_tax"\n'
                '[minify]\n  minifyOutput = true\n')
        for i, lang in enumerate(LANGS):
            f.write(f'[languages.{lang.lower()}]\n  languageCode = "{lang}"\n  weight = {i + 1}\n'
                    f'  title = "Bench {lang}"\n')
    write_hugo_layouts(hg)

    for lang in LANGS:
        suffix = lang
        for root, sfx in ((sp, suffix), (hg, lang.lower())):
            with open(os.path.join(root, "content", f"_index.{sfx}.md"), "w") as f:
                f.write(f"---\ntitle: {yaml_str(heading(lang, 0))}\n---\n{w.paragraph(lang, 3)}\n")

    for index, (section, slug) in enumerate(items):
        communities = sorted({f"c{rng.randrange(n_comm)}" for _ in range(rng.randint(1, 3))}) if section != "communities" else []
        scenarios = sorted({rng.choice(SCENARIOS) for _ in range(rng.randint(1, 3))})
        links = [f"{s}/{t}" for s, t in (items[rng.randrange(len(items))] for _ in range(3)) if s != "facilities"]
        date = f"20{rng.randint(17, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        titles = {lang: w.sentence(lang).rstrip("。.")[:30] for lang in LANGS}
        summaries = {lang: w.sentence(lang) for lang in LANGS}
        for root in (sp, hg):
            os.makedirs(os.path.join(root, "content", section), exist_ok=True)
        if section == "facilities":
            kind = rng.choice(KINDS)
            figure = rng.randint(2, 90)
            desc = {lang: body(w, lang, [], False, figure) for lang in LANGS}
            with open(os.path.join(sp, "content", section, f"{slug}.yaml"), "w") as f:
                f.write(f"kind: {kind}\ncommunities: [{', '.join(communities)}]\ndate: {date}\nweight: {index}\n"
                        f"scenarios: [{', '.join(scenarios)}]\n")
                for field, values in (("name", titles), ("summary", summaries), ("description", desc)):
                    f.write(f"{field}:\n")
                    for lang in LANGS:
                        f.write(f"  {lang}: {yaml_str(values[lang])}\n")
            for lang in LANGS:
                with open(os.path.join(hg, "content", section, f"{slug}.{lang.lower()}.md"), "w") as f:
                    f.write(f"---\ntitle: {yaml_str(titles[lang])}\nsummary: {yaml_str(summaries[lang])}\n"
                            f"date: {date}\nweight: {index}\nscenarios: [{', '.join(scenarios)}]\n"
                            f"communities_tax: [{', '.join(communities)}]\nparams:\n  kind: {kind}\n---\n{desc[lang]}")
            continue
        figure = rng.randint(2, 90)
        for lang in LANGS:
            extra = f"communities: [{', '.join(communities)}]\n" if communities else ""
            common = (f"---\ntitle: {yaml_str(titles[lang])}\nsummary: {yaml_str(summaries[lang])}\n"
                      f"date: {date}\nweight: {index}\nscenarios: [{', '.join(scenarios)}]\n")
            with open(os.path.join(sp, "content", section, f"{slug}.{lang}.md"), "w") as f:
                f.write(common + extra + "---\n" + body(w, lang, links, False, figure))
            hugo_extra = f"communities_tax: [{', '.join(communities)}]\n" if communities else ""
            with open(os.path.join(hg, "content", section, f"{slug}.{lang.lower()}.md"), "w") as f:
                f.write(common + hugo_extra + "---\n" + body(w, lang, links, True, figure))
    return len(items)


def write_hugo_layouts(root):
    """Layouts doing the same work as signpost's theme: pages, lists, taxonomies,
    language switcher, hreflang alternates, canonical, description."""
    layouts = os.path.join(root, "layouts", "_default")
    os.makedirs(layouts, exist_ok=True)
    head = ('<!DOCTYPE html><html lang="{{ .Language.LanguageCode }}"><head><meta charset="utf-8">'
            '<title>{{ .Title }} · {{ .Site.Title }}</title><meta name="description" content="{{ .Summary | plainify }}">'
            '<link rel="canonical" href="{{ .Permalink }}">{{ range .AllTranslations }}'
            '<link rel="alternate" hreflang="{{ .Language.LanguageCode }}" href="{{ .Permalink }}">{{ end }}'
            '<link rel="alternate" hreflang="x-default" href="{{ .Permalink }}"></head><body>'
            '<nav>{{ range .AllTranslations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Language.LanguageCode }}">'
            '{{ .Language.LanguageCode }}</a> {{ end }}</nav><nav>{{ range .Site.Sections }}'
            '<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav><main>{{ block "main" . }}{{ end }}</main>'
            '</body></html>')
    files = {
        "baseof.html": head,
        "single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Summary }}</p><time>{{ .Date.Format "2006-01-02" }}</time>'
                       '{{ .TableOfContents }}{{ .Content }}<p>{{ range .Params.scenarios }}<a href="{{ (printf "/scenarios/%s" .) | relLangURL }}">{{ . }}</a> {{ end }}</p></article>{{ end }}',
        "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>'
                     '<p>{{ .Summary }}</p></li>{{ end }}</ul>{{ end }}',
        "taxonomy.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}',
        "term.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}',
    }
    for name, text in files.items():
        with open(os.path.join(layouts, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    count = generate(int(sys.argv[1]), sys.argv[2])
    print(f"wrote {count} items x {len(LANGS)} languages to {sys.argv[2]}")
