//! One symbol (shape and colour) per site kind, the same in every study and in every output
//! that draws sites: the PNG/SVG maps and report.html. The standard kinds have fixed symbols,
//! grouped by family (council and community: squares and diamonds in blues and purples; health:
//! crosses and circles in greens; justice and work: triangles in browns; street furniture:
//! small greys); any other kind gets one chosen from its name alone (a stable hash), never from
//! its place in a study's list of kinds.

/// A marker's outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// A disc.
    Circle,
    /// An axis-aligned square.
    Square,
    /// A square standing on a corner.
    Diamond,
    /// A triangle pointing up.
    Triangle,
    /// A triangle pointing down.
    TriangleDown,
    /// A plus-shaped cross (health).
    Cross,
    /// A hexagon.
    Hexagon,
}

impl Shape {
    /// Every shape, in the order the hash picks from.
    pub const ALL: [Shape; 7] = [
        Shape::Circle,
        Shape::Square,
        Shape::Diamond,
        Shape::Triangle,
        Shape::TriangleDown,
        Shape::Cross,
        Shape::Hexagon,
    ];

    /// The name the report's script draws by.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Circle => "circle",
            Shape::Square => "square",
            Shape::Diamond => "diamond",
            Shape::Triangle => "triangle",
            Shape::TriangleDown => "triangle-down",
            Shape::Cross => "cross",
            Shape::Hexagon => "hexagon",
        }
    }
}

/// How sites of one kind are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Symbol {
    /// The outline.
    pub shape: Shape,
    /// Fill colour, sRGB.
    pub colour: (u8, u8, u8),
}

impl Symbol {
    /// The colour as `#rrggbb`.
    pub fn hex(&self) -> String {
        let (r, g, b) = self.colour;
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}

/// The colour of each recommendation, as report.html's map draws it (map.js, `REC_COLOUR`),
/// with the label of its legend.
pub const RECOMMENDATION_COLOURS: [(&str, &str, (u8, u8, u8)); 8] = [
    ("keep", "Keep", (43, 108, 176)),
    ("share", "Share", (47, 133, 90)),
    ("close", "Close", (197, 48, 48)),
    ("open", "Open", (107, 70, 193)),
    ("review", "Review", (183, 121, 31)),
    ("not_opened", "Not opened", (113, 128, 150)),
    ("not_assessed", "Not assessed", (113, 128, 150)),
    ("context", "Context (not decided)", (113, 128, 150)),
];

/// The standard kinds' symbols.
const STANDARD: [(&str, Shape, (u8, u8, u8)); 20] = [
    ("council_office", Shape::Square, (31, 78, 160)),
    ("customer_service_centre", Shape::Square, (66, 133, 214)),
    ("library", Shape::Diamond, (123, 50, 148)),
    ("community_hub", Shape::Hexagon, (214, 96, 77)),
    ("community_centre", Shape::Hexagon, (244, 165, 130)),
    ("children_centre", Shape::Hexagon, (230, 171, 2)),
    ("advice", Shape::Diamond, (231, 41, 138)),
    ("citizens_advice", Shape::Diamond, (197, 27, 125)),
    ("jobcentre", Shape::Triangle, (140, 81, 10)),
    ("police_station", Shape::TriangleDown, (20, 20, 60)),
    ("gp_practice", Shape::Cross, (27, 120, 55)),
    ("health_centre", Shape::Cross, (90, 174, 97)),
    ("hospital", Shape::Cross, (0, 90, 50)),
    ("pharmacy", Shape::Circle, (102, 189, 99)),
    ("clinic", Shape::Circle, (65, 171, 93)),
    ("dentist", Shape::Circle, (0, 109, 44)),
    ("health", Shape::Cross, (116, 196, 118)),
    ("bus_stop", Shape::Circle, (110, 110, 110)),
    ("kiosk", Shape::Square, (150, 150, 150)),
    ("phone_box", Shape::Square, (190, 30, 45)),
];

/// Colours the hash picks from for other kinds (ColorBrewer Dark2 and Set1, well apart from
/// one another on white).
const PALETTE: [(u8, u8, u8); 12] = [
    (27, 158, 119),
    (217, 95, 2),
    (117, 112, 179),
    (231, 41, 138),
    (102, 166, 30),
    (230, 171, 2),
    (166, 118, 29),
    (228, 26, 28),
    (55, 126, 184),
    (152, 78, 163),
    (255, 127, 0),
    (166, 86, 40),
];

/// FNV-1a, 64 bits: a hash fixed by its definition (unlike std's, which may change).
fn fnv1a(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The symbol of a kind: fixed for the standard kinds, from the name's hash for the others.
pub fn symbol(kind: &str) -> Symbol {
    let key = kind.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    if let Some((_, shape, colour)) = STANDARD.iter().find(|(k, _, _)| *k == key) {
        return Symbol {
            shape: *shape,
            colour: *colour,
        };
    }
    let h = fnv1a(&key);
    Symbol {
        shape: Shape::ALL[(h % Shape::ALL.len() as u64) as usize],
        colour: PALETTE[((h >> 32) % PALETTE.len() as u64) as usize],
    }
}

/// The outline of a shape of radius `r` around `(x, y)`, as a closed polygon's corners (a
/// circle is approximated by 16 sides; screen coordinates, y down).
pub fn outline(shape: Shape, x: f64, y: f64, r: f64) -> Vec<(f64, f64)> {
    let polar = |n: usize, start: f64, r: f64| -> Vec<(f64, f64)> {
        (0..n)
            .map(|i| {
                let a = start + i as f64 * std::f64::consts::TAU / n as f64;
                (x + r * a.cos(), y + r * a.sin())
            })
            .collect()
    };
    let half = std::f64::consts::FRAC_PI_2;
    match shape {
        Shape::Circle => polar(16, 0.0, r),
        Shape::Square => polar(4, half / 2.0, r * 1.25),
        Shape::Diamond => polar(4, 0.0, r * 1.3),
        Shape::Triangle => polar(3, -half, r * 1.35),
        Shape::TriangleDown => polar(3, half, r * 1.35),
        Shape::Hexagon => polar(6, 0.0, r * 1.1),
        Shape::Cross => {
            let (a, b) = (r * 1.2, r * 0.42);
            vec![
                (x - b, y - a),
                (x + b, y - a),
                (x + b, y - b),
                (x + a, y - b),
                (x + a, y + b),
                (x + b, y + b),
                (x + b, y + a),
                (x - b, y + a),
                (x - b, y + b),
                (x - a, y + b),
                (x - a, y - b),
                (x - b, y - b),
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_kinds_have_distinct_fixed_symbols() {
        let mut seen = std::collections::HashSet::new();
        for (kind, shape, colour) in STANDARD {
            assert_eq!(symbol(kind), Symbol { shape, colour });
            assert!(seen.insert((shape, colour)), "{kind} shares its symbol");
        }
        assert_eq!(symbol("Library").shape, Shape::Diamond);
        assert_eq!(symbol("GP practice"), symbol("gp_practice"));
    }

    #[test]
    fn other_kinds_follow_their_name_alone() {
        // FNV-1a of "food_bank" is 0x4d0e..., fixed by the hash's definition: the symbol cannot
        // depend on which other kinds a study has, nor on their order.
        let a = symbol("food_bank");
        assert_eq!(a, symbol("Food Bank"));
        let h = fnv1a("food_bank");
        assert_eq!(a.shape, Shape::ALL[(h % 7) as usize]);
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
