//! The synthetic district's catalogue: services with their categories, rates and channels and
//! the kinds of site offering them, and the names of places.

/// One service of the demo's catalogue.
pub(super) struct Service {
    pub(super) name: &'static str,
    pub(super) category: &'static str,
    /// Contacts a year per 1,000 residents.
    pub(super) rate: f64,
    /// Share by channel: face_to_face, phone, digital, post, email.
    pub(super) channels: [f64; 5],
    /// Which site kinds offer it.
    pub(super) kinds: &'static [&'static str],
}

pub(super) const CHANNELS: [&str; 5] = ["face_to_face", "phone", "digital", "post", "email"];

pub(super) const SERVICES: &[Service] = &[
    Service {
        name: "council tax",
        category: "simple",
        rate: 260.0,
        channels: [0.08, 0.27, 0.6, 0.03, 0.02],
        kinds: &["council_office"],
    },
    Service {
        name: "bins and recycling",
        category: "simple",
        rate: 220.0,
        channels: [0.03, 0.25, 0.7, 0.0, 0.02],
        kinds: &["council_office"],
    },
    Service {
        name: "parking permits",
        category: "simple",
        rate: 60.0,
        channels: [0.1, 0.2, 0.68, 0.02, 0.0],
        kinds: &["council_office", "kiosk"],
    },
    Service {
        name: "blue badge",
        category: "registered",
        rate: 18.0,
        channels: [0.3, 0.2, 0.4, 0.1, 0.0],
        kinds: &["council_office", "library"],
    },
    Service {
        name: "births deaths marriages",
        category: "registered",
        rate: 14.0,
        channels: [0.8, 0.2, 0.0, 0.0, 0.0],
        kinds: &["council_office"],
    },
    Service {
        name: "library services",
        category: "information",
        rate: 1500.0,
        channels: [0.72, 0.03, 0.25, 0.0, 0.0],
        kinds: &["library"],
    },
    Service {
        name: "information and advice",
        category: "information",
        rate: 120.0,
        channels: [0.3, 0.35, 0.3, 0.0, 0.05],
        kinds: &["library", "community_hub", "council_office"],
    },
    Service {
        name: "housing advice",
        category: "facilitated",
        rate: 35.0,
        channels: [0.5, 0.45, 0.0, 0.0, 0.05],
        kinds: &["council_office", "community_hub"],
    },
    Service {
        name: "adult social care",
        category: "facilitated",
        rate: 28.0,
        channels: [0.35, 0.6, 0.0, 0.0, 0.05],
        kinds: &["council_office", "community_hub"],
    },
    Service {
        name: "gp appointments",
        category: "facilitated",
        rate: 3200.0,
        channels: [0.7, 0.25, 0.05, 0.0, 0.0],
        kinds: &["gp_practice"],
    },
    Service {
        name: "jobseeker support",
        category: "facilitated",
        rate: 45.0,
        channels: [0.85, 0.1, 0.05, 0.0, 0.0],
        kinds: &["jobcentre"],
    },
    Service {
        name: "welfare benefits advice",
        category: "advocacy",
        rate: 22.0,
        channels: [0.7, 0.3, 0.0, 0.0, 0.0],
        kinds: &["community_hub", "council_office"],
    },
    Service {
        name: "homelessness",
        category: "advocacy",
        rate: 7.0,
        channels: [0.8, 0.2, 0.0, 0.0, 0.0],
        kinds: &["council_office"],
    },
    Service {
        name: "police front counter",
        category: "registered",
        rate: 9.0,
        channels: [0.5, 0.5, 0.0, 0.0, 0.0],
        kinds: &["police_station"],
    },
];

/// Street reports are placed by point, as a reporting app would.
pub(super) const STREET_REPORTS: Service = Service {
    name: "street reports",
    category: "simple",
    rate: 90.0,
    channels: [0.0, 0.2, 0.8, 0.0, 0.0],
    kinds: &["council_office"],
};

pub(super) const TOWNS: &[&str] = &[
    "Kingsbridge",
    "Ashworth",
    "Belminster",
    "Carrow",
    "Dunmere",
    "Elmford",
    "Fairhaven",
    "Greystone",
];
pub(super) const PREFIX: &[&str] = &[
    "Upper", "Lower", "Great", "Little", "North", "South", "East", "West", "Long", "Kings",
];
pub(super) const STEM: &[&str] = &[
    "Ashby", "Milton", "Stoke", "Sutton", "Norton", "Horton", "Marston", "Charlton", "Wootton",
    "Compton", "Bourton", "Kington", "Hinton", "Aston", "Newton", "Preston", "Weston", "Easton",
    "Radley", "Cumnor",
];
