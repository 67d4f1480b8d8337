//! The block manifest and the block content as `landing.block.getmanifest` and
//! `landing.block.getcontent` return them: the raw shapes they arrive in (serde) and the
//! domain types the editor uses.
//!
//! The order of `nodes` and `cards` is the order of the object's keys. Everything is
//! lenient: PHP sends empty sections as `[]`, strings may come as numbers, unknown keys are
//! ignored. Bad shapes give defaults, not errors.

use serde::{Deserialize, Deserializer};

use super::loose::{Flag, Loose, Obj, Ordered, Text, TextList};

/// What a manifest node is, from its `type` (case-insensitive).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Text,
    Img,
    Link,
    Icon,
    Embed,
    Map,
    Component,
    StyleImg,
    /// Any other type, as the manifest spelled it ("" when missing).
    Other(String),
}

impl NodeKind {
    pub fn from_type(value: &str) -> NodeKind {
        match value.trim().to_ascii_lowercase().as_str() {
            "text" => NodeKind::Text,
            "img" => NodeKind::Img,
            "link" => NodeKind::Link,
            "icon" => NodeKind::Icon,
            "embed" => NodeKind::Embed,
            "map" => NodeKind::Map,
            "component" => NodeKind::Component,
            "styleimg" => NodeKind::StyleImg,
            _ => NodeKind::Other(value.to_owned()),
        }
    }

    /// The kinds this app edits; the others are shown as read-only.
    pub fn is_editable(&self) -> bool {
        matches!(
            self,
            NodeKind::Text | NodeKind::Img | NodeKind::Link | NodeKind::Icon | NodeKind::Embed
        )
    }

    /// The manifest's spelling, for messages and logs.
    pub fn as_str(&self) -> &str {
        match self {
            NodeKind::Text => "text",
            NodeKind::Img => "img",
            NodeKind::Link => "link",
            NodeKind::Icon => "icon",
            NodeKind::Embed => "embed",
            NodeKind::Map => "map",
            NodeKind::Component => "component",
            NodeKind::StyleImg => "styleimg",
            NodeKind::Other(s) => s,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockInfo {
    pub name: String,
    /// A string or a list in the manifest; always a list here.
    pub section: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestNode {
    pub selector: String,
    /// "" when the manifest has none (the server-added `styleimg` nodes).
    pub name: String,
    pub kind: NodeKind,
    /// The image slot's 1x size (`dimensions`), as far as the manifest gives it.
    pub dimensions: Dimensions,
}

/// An image node's `dimensions`: the 1x size its slot shows, each side `None`
/// when the manifest leaves it out (blocks often give only a width or a height).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dimensions {
    pub width: Option<u32>,
    pub height: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestCard {
    pub selector: String,
    pub name: String,
    /// Node selectors whose content names a card occurrence, in manifest order.
    pub label: Vec<String>,
}

/// The prepared manifest (`landing.block.getmanifest`), the parts the editor
/// uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    pub block: BlockInfo,
    /// In the manifest's order.
    pub nodes: Vec<ManifestNode>,
    /// In the manifest's order.
    pub cards: Vec<ManifestCard>,
    /// The block code.
    pub code: String,
}

impl Manifest {
    /// The domain shape from the raw one: sections keep only entries with a non-blank
    /// selector, in order.
    pub fn from_raw(raw: ManifestRaw) -> Manifest {
        let block = raw.block.or_default();
        Manifest {
            block: BlockInfo {
                name: block.name.0,
                section: block.section.0,
            },
            nodes: sections(raw.nodes)
                .map(|(selector, node)| ManifestNode {
                    selector,
                    name: node.name.0,
                    kind: NodeKind::from_type(&node.kind.0),
                    dimensions: node.dimensions.or_default().read(),
                })
                .collect(),
            cards: sections(raw.cards)
                .map(|(selector, card)| ManifestCard {
                    selector,
                    name: card.name.0,
                    label: card.label.0,
                })
                .collect(),
            code: raw.code.0,
        }
    }

    pub fn node(&self, selector: &str) -> Option<&ManifestNode> {
        self.nodes.iter().find(|n| n.selector == selector)
    }
}

/// `nodes` or `cards`: (selector, entry) with a non-blank selector, in order. An entry
/// that is not an object reads as an empty one.
fn sections<T: Default>(raw: Ordered<Obj<T>>) -> impl Iterator<Item = (String, T)> {
    raw.0
        .into_iter()
        .filter(|(selector, _)| !selector.trim().is_empty())
        .map(|(selector, entry)| (selector, entry.or_default()))
}

/// The manifest as it arrives. Everything is lenient: PHP sends empty sections as `[]`,
/// strings may come as numbers, unknown keys are ignored, bad shapes give defaults.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ManifestRaw {
    pub block: Obj<BlockRaw>,
    /// In document order (see `Ordered`: selectors are never integer-like).
    pub nodes: Ordered<Obj<NodeRaw>>,
    pub cards: Ordered<Obj<CardRaw>>,
    pub code: Text,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct BlockRaw {
    pub name: Text,
    /// A string or a list.
    pub section: TextList,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct NodeRaw {
    pub name: Text,
    #[serde(rename = "type")]
    pub kind: Text,
    pub dimensions: Obj<DimensionsRaw>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct DimensionsRaw {
    pub width: Text,
    pub height: Text,
}

impl DimensionsRaw {
    /// A side counts when it is a positive whole number of pixels (a number or
    /// a string of digits); anything else is unknown.
    fn read(self) -> Dimensions {
        let side = |t: Text| t.0.trim().parse::<u32>().ok().filter(|n| *n > 0);
        Dimensions {
            width: side(self.width),
            height: side(self.height),
        }
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CardRaw {
    pub name: Text,
    /// A string or a list of node selectors.
    pub label: TextList,
}

/// Any shape reads (anything but an object is the empty manifest), so this never fails.
impl<'de> Deserialize<'de> for Manifest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Manifest, D::Error> {
        Obj::<ManifestRaw>::deserialize(d).map(|raw| Manifest::from_raw(raw.or_default()))
    }
}

/// `access` of `landing.block.getcontent`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// X: everything.
    Full,
    /// W: content and design, not delete.
    Write,
    /// V: design only.
    DesignOnly,
    /// D: denied.
    Denied,
    /// A: closed for everybody.
    Closed,
}

impl Access {
    /// X W V D A, case-insensitive; anything else is `Denied` (the safe guess).
    pub fn from_letter(s: &str) -> Access {
        match s.trim().to_ascii_uppercase().as_str() {
            "X" => Access::Full,
            "W" => Access::Write,
            "V" => Access::DesignOnly,
            "A" => Access::Closed,
            _ => Access::Denied,
        }
    }

    pub fn can_edit_content(&self) -> bool {
        matches!(self, Access::Full | Access::Write)
    }
}

/// `landing.block.getcontent`'s result, leniently.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BlockContent {
    /// A number or a string, as the portal sends it (`Null` when missing).
    pub id: Loose,
    /// The block's HTML.
    pub content: String,
    /// One letter, see [`Access`].
    pub access: String,
    pub active: bool,
    pub anchor: String,
    /// The block's own stylesheets, by path on the portal or full address.
    pub css: Vec<String>,
}

/// `landing.block.getcontent`'s result as it arrives.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct BlockContentRaw {
    pub id: Loose,
    pub content: Text,
    pub access: Text,
    pub active: Flag,
    pub anchor: Text,
    pub css: TextList,
}

/// Any shape reads (anything but an object is the empty content), so this never fails.
impl<'de> Deserialize<'de> for BlockContent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<BlockContent, D::Error> {
        let raw = Obj::<BlockContentRaw>::deserialize(d)?.or_default();
        Ok(BlockContent {
            id: raw.id,
            content: raw.content.0,
            access: raw.access.0,
            active: raw.active.0,
            anchor: raw.anchor.0,
            css: raw.css.0,
        })
    }
}

impl BlockContent {
    pub fn access_level(&self) -> Access {
        Access::from_letter(&self.access)
    }

    /// The block id as text ("" when missing).
    pub fn id_string(&self) -> String {
        match &self.id {
            Loose::Text(s) => s.trim().to_owned(),
            other if other.is_number() => other.to_string(),
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Manifest {
        /// From the manifest JSON, or from the whole `getmanifest` answer.
        pub(crate) fn from_json(text: &str) -> Result<Manifest, String> {
            crate::answer::answer_or_bare(text)
        }
    }

    impl BlockContent {
        pub(crate) fn from_json(text: &str) -> Result<BlockContent, String> {
            crate::answer::answer_or_bare(text)
        }
    }

    fn fixture_manifest(file: &str) -> Manifest {
        #[derive(Deserialize)]
        struct Fixture {
            manifest: Manifest,
        }
        match serde_json::from_str::<Fixture>(file) {
            Ok(fixture) => fixture.manifest,
            Err(e) => panic!("fixture does not parse: {e}"),
        }
    }

    fn selectors(m: &Manifest) -> Vec<&str> {
        m.nodes.iter().map(|n| n.selector.as_str()).collect()
    }

    #[test]
    fn fixture_04_1_nodes_in_file_order() {
        let m = fixture_manifest(include_str!(
            "../../emulator/fixtures/blocks/04.1.one_col_fix_with_title.json"
        ));
        assert_eq!(m.block.name, "Title with a separator on a light background");
        assert_eq!(m.block.section, vec!["title"]);
        assert_eq!(m.code, "04.1.one_col_fix_with_title");
        // File order, not alphabetical (".landing-block-node-title" sorts after "-subtitle" anyway,
        // but "#wrapper" would sort first).
        assert_eq!(
            selectors(&m),
            vec![
                ".landing-block-node-subtitle",
                ".landing-block-node-title",
                "#wrapper"
            ]
        );
        assert_eq!(m.nodes[0].name, "Subtitle");
        assert_eq!(m.nodes[0].kind, NodeKind::Text);
        assert_eq!(m.nodes[2].name, "");
        assert_eq!(m.nodes[2].kind, NodeKind::StyleImg);
        assert!(m.cards.is_empty(), "cards: [] is an empty section");
    }

    #[test]
    fn fixture_43_4_nodes_and_cards_in_file_order() {
        let m = fixture_manifest(include_str!(
            "../../emulator/fixtures/blocks/43.4.cover_with_price_text_button_bgimg.json"
        ));
        assert_eq!(
            selectors(&m),
            vec![
                ".landing-block-node-card-price",
                ".landing-block-node-card-title",
                ".landing-block-node-card-text",
                ".landing-block-node-card-button",
                ".landing-block-node-card-bgimg",
            ]
        );
        let kinds: Vec<NodeKind> = m.nodes.iter().map(|n| n.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                NodeKind::Text,
                NodeKind::Text,
                NodeKind::Text,
                NodeKind::Link,
                NodeKind::Img
            ]
        );
        assert_eq!(m.cards.len(), 1);
        assert_eq!(m.cards[0].selector, ".landing-block-node-card");
        assert_eq!(m.cards[0].name, "Carousel block");
        assert_eq!(
            m.cards[0].label,
            vec![
                ".landing-block-node-card-bgimg",
                ".landing-block-node-card-title"
            ]
        );
    }

    #[test]
    fn fixture_49_1_embed() {
        let m = fixture_manifest(include_str!(
            "../../emulator/fixtures/blocks/49.1.video_just_video.json"
        ));
        assert_eq!(selectors(&m), vec![".landing-block-node-embed", "#wrapper"]);
        assert_eq!(m.nodes[0].kind, NodeKind::Embed);
        assert_eq!(m.nodes[0].name, "Video link");
        assert_eq!(
            m.block.section,
            vec!["video", "recommended", "widgets_video"]
        );
        assert!(m.cards.is_empty());
    }

    #[test]
    fn fixture_44_7_and_06_1_and_31_1() {
        let m = fixture_manifest(include_str!(
            "../../emulator/fixtures/blocks/44.7.three_columns_with_img_and_price.json"
        ));
        assert_eq!(
            selectors(&m),
            vec![
                ".landing-block-node-card-title",
                ".landing-block-node-card-subtitle",
                ".landing-block-node-card-img",
                ".landing-block-node-card-price-subtitle",
                ".landing-block-node-card-price",
                ".landing-block-node-card-text",
                ".landing-block-node-card-button",
                "#wrapper",
            ]
        );
        assert_eq!(m.nodes[3].name, "Price: subtitle");
        assert_eq!(m.cards[0].name, "Column");

        let m = fixture_manifest(include_str!(
            "../../emulator/fixtures/blocks/06.1features_3_cols.json"
        ));
        assert_eq!(
            selectors(&m),
            vec![
                ".landing-block-node-element-icon",
                ".landing-block-node-element-title",
                ".landing-block-node-element-text",
                ".landing-block-node-element-list",
                "#wrapper",
            ]
        );
        assert_eq!(m.nodes[0].kind, NodeKind::Icon);
        assert_eq!(m.cards[0].selector, ".landing-block-card");

        let m = fixture_manifest(include_str!(
            "../../emulator/fixtures/blocks/31.1.two_cols_text_img.json"
        ));
        assert_eq!(
            selectors(&m),
            vec![
                ".landing-block-node-title",
                ".landing-block-node-text",
                ".landing-block-node-button",
                ".landing-block-node-img",
                "#wrapper",
            ]
        );
        assert!(m.cards.is_empty());
    }

    #[test]
    fn order_is_kept_where_a_sorted_map_would_reorder() {
        let m = Manifest::from_json(
            r#"{"nodes": {".z": {"type": "text", "name": "Z"}, ".a": {"type": "IMG"},
                          ".m": {"type": "Link", "name": "M"}}}"#,
        )
        .unwrap_or_default();
        assert_eq!(selectors(&m), vec![".z", ".a", ".m"]);
        assert_eq!(m.nodes[1].kind, NodeKind::Img, "type is case-insensitive");
        assert_eq!(m.nodes[1].name, "", "missing name is empty");
        assert_eq!(m.nodes[2].kind, NodeKind::Link);
    }

    #[test]
    fn empty_php_arrays_and_odd_shapes_are_empty() {
        let m = Manifest::from_json(r#"{"block": [], "nodes": [], "cards": [], "attrs": []}"#);
        assert_eq!(m, Ok(Manifest::default()));
        let m = Manifest::from_json(r#"{"nodes": null, "cards": "x", "block": {"name": 5}}"#);
        let m = m.unwrap_or_default();
        assert!(m.nodes.is_empty());
        assert!(m.cards.is_empty());
        assert_eq!(m.block.name, "5");
        // A node whose value is not an object still appears, as an untyped node.
        let m = Manifest::from_json(r#"{"nodes": {".a": [], ".b": {"type": "map"}}}"#)
            .unwrap_or_default();
        assert_eq!(m.nodes.len(), 2);
        assert_eq!(m.nodes[0].kind, NodeKind::Other(String::new()));
        assert_eq!(m.nodes[1].kind, NodeKind::Map);
        // A non-empty PHP list has no selectors: ignored.
        let m = Manifest::from_json(r#"{"nodes": [{"type": "text"}]}"#).unwrap_or_default();
        assert!(m.nodes.is_empty());
        assert_eq!(Manifest::from_json("[]"), Ok(Manifest::default()));
    }

    #[test]
    fn card_label_string_or_list() {
        let m = Manifest::from_json(
            r#"{"cards": {".c1": {"name": "One", "label": ".t"},
                          ".c2": {"name": "Two", "label": [".a", "", ".b"]},
                          ".c3": {"name": "Three"}}}"#,
        )
        .unwrap_or_default();
        assert_eq!(m.cards.len(), 3);
        assert_eq!(m.cards[0].label, vec![".t"]);
        assert_eq!(m.cards[1].label, vec![".a", ".b"]);
        assert!(m.cards[2].label.is_empty());
    }

    #[test]
    fn unknown_keys_ignored_and_duplicates_keep_first_place() {
        let m = Manifest::from_json(
            r#"{"x": {"y": [1, 2]}, "nodes": {".a": {"type": "text", "name": "A1", "extra": {"k": 1}},
                 ".b": {"type": "text"}, ".a": {"type": "icon", "name": "A2"}}}"#,
        )
        .unwrap_or_default();
        assert_eq!(selectors(&m), vec![".a", ".b"]);
        assert_eq!(m.nodes[0].name, "A2");
        assert_eq!(m.nodes[0].kind, NodeKind::Icon);
    }

    #[test]
    fn whole_answer_envelope_and_errors() {
        let m = Manifest::from_json(
            r#"{"result": {"block": {"name": "B"}, "nodes": {".q": {"type": "text"}, ".p": {"type": "text"}}},
                "time": {"start": 1}}"#,
        );
        let m = m.unwrap_or_default();
        assert_eq!(m.block.name, "B");
        assert_eq!(selectors(&m), vec![".q", ".p"]);
        assert_eq!(
            Manifest::from_json(r#"{"error": "ACCESS_DENIED", "error_description": "No"}"#),
            Err("ACCESS_DENIED: No".to_owned())
        );
        assert!(Manifest::from_json("{nodes").is_err());
    }

    #[test]
    fn manifest_as_a_batch_field() {
        #[derive(Deserialize)]
        struct Batch {
            manifest: Option<Manifest>,
            missing: Option<Manifest>,
        }
        let b: Batch = serde_json::from_str(
            r#"{"manifest": {"nodes": {".b": {"type": "text"}, ".a": {"type": "text"}}}, "missing": null}"#,
        )
        .unwrap_or(Batch {
            manifest: None,
            missing: None,
        });
        let m = b.manifest.unwrap_or_default();
        assert_eq!(selectors(&m), vec![".b", ".a"]);
        assert!(b.missing.is_none());
    }

    #[test]
    fn node_kinds() {
        assert_eq!(NodeKind::from_type("StyleImg"), NodeKind::StyleImg);
        assert_eq!(NodeKind::from_type(" component "), NodeKind::Component);
        assert_eq!(NodeKind::from_type("date"), NodeKind::Other("date".into()));
        for k in ["text", "img", "link", "icon", "embed"] {
            assert!(NodeKind::from_type(k).is_editable(), "{k}");
        }
        for k in ["map", "component", "styleimg", "date", ""] {
            assert!(!NodeKind::from_type(k).is_editable(), "{k}");
        }
        assert_eq!(NodeKind::from_type("EMBED").as_str(), "embed");
    }

    #[test]
    fn numbers_read_as_a_float_display_writes_them() {
        let m = Manifest::from_json(r#"{"block": {"name": 1.5e16, "section": [2.5, -0.001]}}"#)
            .unwrap_or_default();
        assert_eq!(m.block.name, "15000000000000000");
        assert_eq!(m.block.section, vec!["2.5", "-0.001"]);
    }

    #[test]
    fn flags_of_every_shape() {
        for (json, want) in [
            (r#""Y""#, true),
            (r#"" y ""#, true),
            (r#""1""#, true),
            (r#""TRUE""#, true),
            ("true", true),
            ("1", true),
            ("-2", true),
            ("0.5", true),
            (r#""N""#, false),
            (r#""0""#, false),
            ("0", false),
            ("0.0", false),
            ("false", false),
            ("null", false),
            ("[1]", false),
            (r#"{"a": 1}"#, false),
        ] {
            let c = BlockContent::from_json(&format!(r#"{{"active": {json}, "access": "W"}}"#))
                .unwrap_or_default();
            assert_eq!(c.active, want, "{json}");
            assert_eq!(c.access, "W", "{json}: the rest still reads");
        }
    }

    #[test]
    fn access_letters() {
        assert_eq!(Access::from_letter("X"), Access::Full);
        assert_eq!(Access::from_letter("w"), Access::Write);
        assert_eq!(Access::from_letter("V"), Access::DesignOnly);
        assert_eq!(Access::from_letter("D"), Access::Denied);
        assert_eq!(Access::from_letter("A"), Access::Closed);
        assert_eq!(Access::from_letter(""), Access::Denied);
        assert_eq!(Access::from_letter("Z"), Access::Denied);
        assert!(Access::Full.can_edit_content());
        assert!(Access::Write.can_edit_content());
        assert!(!Access::DesignOnly.can_edit_content());
        assert!(!Access::Denied.can_edit_content());
        assert!(!Access::Closed.can_edit_content());
    }

    #[test]
    fn block_content_lenient() {
        let c = BlockContent::from_json(
            r#"{"id": 996, "lid": "30", "active": "Y", "access": "W", "anchor": "b996",
                "content": "<section>x</section>", "css": [], "js": ["a.js"]}"#,
        )
        .unwrap_or_default();
        assert_eq!(c.id_string(), "996");
        assert!(c.active);
        assert_eq!(c.access_level(), Access::Write);
        assert_eq!(c.content, "<section>x</section>");
        let c = BlockContent::from_json(r#"{"result": {"id": "12", "content": null}}"#)
            .unwrap_or_default();
        assert_eq!(c.id_string(), "12");
        assert_eq!(c.content, "");
        assert_eq!(c.access_level(), Access::Denied, "missing access is denied");
        assert!(!c.active);
        assert!(BlockContent::from_json("nope").is_err());
    }
}
