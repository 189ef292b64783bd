//! The councils' service categories and the channels demand comes through.

/// The councils' service categories. The first three are "once and done" (they can move to
/// digital or automation); facilitated and advocacy are "right first time" (they need people).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// A simple transaction (pay, book, report).
    Simple,
    /// A registered service (registrations, licences, permits).
    Registered,
    /// Information provision.
    Information,
    /// A facilitated service: someone helps the resident through it.
    Facilitated,
    /// Advocacy: someone acts for the resident.
    Advocacy,
}

impl Category {
    /// Every category, in output order.
    pub const ALL: [Category; 5] = [
        Category::Simple,
        Category::Registered,
        Category::Information,
        Category::Facilitated,
        Category::Advocacy,
    ];

    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Category::Simple => "simple",
            Category::Registered => "registered",
            Category::Information => "information",
            Category::Facilitated => "facilitated",
            Category::Advocacy => "advocacy",
        }
    }

    /// Whether the category is "once and done" (can move to digital or automation).
    pub fn once_and_done(self) -> bool {
        matches!(
            self,
            Category::Simple | Category::Registered | Category::Information
        )
    }

    /// Parses a category, accepting the strategy's long names and any case, spaces or hyphens.
    pub fn parse(text: &str) -> Option<Category> {
        match normalise(text).as_str() {
            "simple" | "simple_transaction" | "transaction" => Some(Category::Simple),
            "registered" | "registered_service" | "registration" => Some(Category::Registered),
            "information" | "information_provision" | "info" => Some(Category::Information),
            "facilitated" | "facilitated_service" => Some(Category::Facilitated),
            "advocacy" => Some(Category::Advocacy),
            _ => None,
        }
    }

    /// Index in [`Category::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// How a contact reached the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Channel {
    /// In person, at a site.
    FaceToFace,
    /// By telephone.
    Phone,
    /// Online: web, app, chat.
    Digital,
    /// By letter.
    Post,
    /// By email.
    Email,
}

impl Channel {
    /// Every channel, in output order.
    pub const ALL: [Channel; 5] = [
        Channel::FaceToFace,
        Channel::Phone,
        Channel::Digital,
        Channel::Post,
        Channel::Email,
    ];

    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Channel::FaceToFace => "face_to_face",
            Channel::Phone => "phone",
            Channel::Digital => "digital",
            Channel::Post => "post",
            Channel::Email => "email",
        }
    }

    /// Parses a channel, accepting common synonyms and any case, spaces or hyphens.
    pub fn parse(text: &str) -> Option<Channel> {
        match normalise(text).as_str() {
            "face_to_face" | "f2f" | "in_person" | "facetoface" => Some(Channel::FaceToFace),
            "phone" | "telephone" | "tel" => Some(Channel::Phone),
            "digital" | "online" | "web" | "app" => Some(Channel::Digital),
            "post" | "letter" | "mail" => Some(Channel::Post),
            "email" | "e_mail" => Some(Channel::Email),
            _ => None,
        }
    }

    /// Index in [`Channel::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

fn normalise(text: &str) -> String {
    text.trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}
