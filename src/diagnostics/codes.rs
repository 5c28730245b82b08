//! Every diagnostic code, one type: a code is written once, here, and a typo
//! in a stage is a compile error, not a new code.

use serde::{Serialize, Serializer};

/// Declares the codes: each variant with its stable text.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// A stable diagnostic code such as `front-matter/unknown-key`
        /// (README's check table explains them).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            /// The code as it is printed (`front-matter/unknown-key`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

codes! {
    /// `config/base-url`
    ConfigBaseUrl = "config/base-url",
    /// `config/communities-section`
    ConfigCommunitiesSection = "config/communities-section",
    /// `config/derive`
    ConfigDerive = "config/derive",
    /// `config/encoding`
    ConfigEncoding = "config/encoding",
    /// `config/facility-kinds`
    ConfigFacilityKinds = "config/facility-kinds",
    /// `config/languages`
    ConfigLanguages = "config/languages",
    /// `config/missing-key`
    ConfigMissingKey = "config/missing-key",
    /// `config/nul-byte`
    ConfigNulByte = "config/nul-byte",
    /// `config/scenarios`
    ConfigScenarios = "config/scenarios",
    /// `config/too-large`
    ConfigTooLarge = "config/too-large",
    /// `config/unknown-key`
    ConfigUnknownKey = "config/unknown-key",
    /// `config/unknown-language`
    ConfigUnknownLanguage = "config/unknown-language",
    /// `config/unknown-theme`
    ConfigUnknownTheme = "config/unknown-theme",
    /// `config/unreadable`
    ConfigUnreadable = "config/unreadable",
    /// `content/alias-path`
    ContentAliasPath = "content/alias-path",
    /// `content/bidi-control`
    ContentBidiControl = "content/bidi-control",
    /// `content/duplicate-page`
    ContentDuplicatePage = "content/duplicate-page",
    /// `content/duplicate-url`
    ContentDuplicateUrl = "content/duplicate-url",
    /// `content/encoding`
    ContentEncoding = "content/encoding",
    /// `content/facility-path`
    ContentFacilityPath = "content/facility-path",
    /// `content/file-name`
    ContentFileName = "content/file-name",
    /// `content/invisible-char`
    ContentInvisibleChar = "content/invisible-char",
    /// `content/missing`
    ContentMissing = "content/missing",
    /// `content/nul-byte`
    ContentNulByte = "content/nul-byte",
    /// `content/placeholder`
    ContentPlaceholder = "content/placeholder",
    /// `content/slug-chars`
    ContentSlugChars = "content/slug-chars",
    /// `content/slug-path`
    ContentSlugPath = "content/slug-path",
    /// `content/symlink`
    ContentSymlink = "content/symlink",
    /// `content/too-large`
    ContentTooLarge = "content/too-large",
    /// `content/unknown-community`
    ContentUnknownCommunity = "content/unknown-community",
    /// `content/unknown-language`
    ContentUnknownLanguage = "content/unknown-language",
    /// `content/unknown-scenario`
    ContentUnknownScenario = "content/unknown-scenario",
    /// `content/unreadable`
    ContentUnreadable = "content/unreadable",
    /// `facility/kind`
    FacilityKind = "facility/kind",
    /// `facility/language`
    FacilityLanguage = "facility/language",
    /// `facility/location`
    FacilityLocation = "facility/location",
    /// `facility/missing-community`
    FacilityMissingCommunity = "facility/missing-community",
    /// `facility/missing-key`
    FacilityMissingKey = "facility/missing-key",
    /// `facility/missing-name`
    FacilityMissingName = "facility/missing-name",
    /// `facility/unknown-key`
    FacilityUnknownKey = "facility/unknown-key",
    /// `facility/website`
    FacilityWebsite = "facility/website",
    /// `front-matter/date`
    FrontMatterDate = "front-matter/date",
    /// `front-matter/missing`
    FrontMatterMissing = "front-matter/missing",
    /// `front-matter/missing-title`
    FrontMatterMissingTitle = "front-matter/missing-title",
    /// `front-matter/source`
    FrontMatterSource = "front-matter/source",
    /// `front-matter/source-url`
    FrontMatterSourceUrl = "front-matter/source-url",
    /// `front-matter/unclosed`
    FrontMatterUnclosed = "front-matter/unclosed",
    /// `front-matter/unknown-key`
    FrontMatterUnknownKey = "front-matter/unknown-key",
    /// `i18n/encoding`
    I18nEncoding = "i18n/encoding",
    /// `i18n/missing-key`
    I18nMissingKey = "i18n/missing-key",
    /// `i18n/missing-plural-form`
    I18nMissingPluralForm = "i18n/missing-plural-form",
    /// `i18n/not-a-mapping`
    I18nNotAMapping = "i18n/not-a-mapping",
    /// `i18n/nul-byte`
    I18nNulByte = "i18n/nul-byte",
    /// `i18n/too-large`
    I18nTooLarge = "i18n/too-large",
    /// `i18n/unknown-language`
    I18nUnknownLanguage = "i18n/unknown-language",
    /// `i18n/unreadable`
    I18nUnreadable = "i18n/unreadable",
    /// `i18n/wrong-type`
    I18nWrongType = "i18n/wrong-type",
    /// `link/anchor`
    LinkAnchor = "link/anchor",
    /// `link/unresolved`
    LinkUnresolved = "link/unresolved",
    /// `output/serialise`
    OutputSerialise = "output/serialise",
    /// `output/write`
    OutputWrite = "output/write",
    /// `render/missing-version`
    RenderMissingVersion = "render/missing-version",
    /// `static/symlink`
    StaticSymlink = "static/symlink",
    /// `static/unreadable`
    StaticUnreadable = "static/unreadable",
    /// `template/render`
    TemplateRender = "template/render",
    /// `template/syntax`
    TemplateSyntax = "template/syntax",
    /// `text/mojibake`
    TextMojibake = "text/mojibake",
    /// `text/repeated-paragraph`
    TextRepeatedParagraph = "text/repeated-paragraph",
    /// `text/shortcode`
    TextShortcode = "text/shortcode",
    /// `text/wrong-language`
    TextWrongLanguage = "text/wrong-language",
    /// `text/wrong-script`
    TextWrongScript = "text/wrong-script",
    /// `theme/colour-collision`
    ThemeColourCollision = "theme/colour-collision",
    /// `theme/settings`
    ThemeSettings = "theme/settings",
    /// `theme/unreadable`
    ThemeUnreadable = "theme/unreadable",
    /// `translation/missing`
    TranslationMissing = "translation/missing",
    /// `translation/numbers`
    TranslationNumbers = "translation/numbers",
    /// `translation/stale`
    TranslationStale = "translation/stale",
    /// `translation/stamp`
    TranslationStamp = "translation/stamp",
    /// `translation/summary`
    TranslationSummary = "translation/summary",
    /// `yaml/syntax`
    YamlSyntax = "yaml/syntax",
    /// `yaml/wrong-type`
    YamlWrongType = "yaml/wrong-type",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Where an editor-written file was read, for the codes of reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Area {
    /// `content/`.
    Content,
    /// `i18n/`.
    I18n,
    /// `site.yaml`.
    Config,
}

impl Area {
    /// The file could not be read.
    pub(crate) fn unreadable(self) -> Code {
        match self {
            Area::Content => Code::ContentUnreadable,
            Area::I18n => Code::I18nUnreadable,
            Area::Config => Code::ConfigUnreadable,
        }
    }

    /// The file is over the size limit.
    pub(crate) fn too_large(self) -> Code {
        match self {
            Area::Content => Code::ContentTooLarge,
            Area::I18n => Code::I18nTooLarge,
            Area::Config => Code::ConfigTooLarge,
        }
    }

    /// The file is not UTF-8.
    pub(crate) fn encoding(self) -> Code {
        match self {
            Area::Content => Code::ContentEncoding,
            Area::I18n => Code::I18nEncoding,
            Area::Config => Code::ConfigEncoding,
        }
    }

    /// The file holds a NUL byte.
    pub(crate) fn nul_byte(self) -> Code {
        match self {
            Area::Content => Code::ContentNulByte,
            Area::I18n => Code::I18nNulByte,
            Area::Config => Code::ConfigNulByte,
        }
    }
}
