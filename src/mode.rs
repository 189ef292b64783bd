//! Travel modes and their straight-line parameters (speed, circuity).

use std::fmt;
use std::str::FromStr;

use serde::Deserialize;

/// A way of travelling to a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// On foot.
    Walk,
    /// By bicycle.
    Cycle,
    /// By car.
    Drive,
    /// By bus, tram and train (GTFS timetables), with walks to, from and between stops.
    Transit,
}

impl Mode {
    /// Every mode.
    pub const ALL: [Mode; 4] = [Mode::Walk, Mode::Cycle, Mode::Drive, Mode::Transit];

    /// The modes a study measures when it names none (transit needs timetables).
    pub const DEFAULT: [Mode; 3] = [Mode::Walk, Mode::Cycle, Mode::Drive];

    /// The name used in column names and files.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Walk => "walk",
            Mode::Cycle => "cycle",
            Mode::Drive => "drive",
            Mode::Transit => "transit",
        }
    }

    /// The street network the mode travels on: transit rides on timetables and walks on the
    /// walking network.
    pub fn street_mode(self) -> Mode {
        match self {
            Mode::Transit => Mode::Walk,
            m => m,
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Mode {
    type Err = String;

    /// Parses `walk`, `cycle`, `drive` or `transit` (as written in study files and on the
    /// command line).
    fn from_str(text: &str) -> Result<Mode, String> {
        Mode::ALL
            .into_iter()
            .find(|m| m.name() == text)
            .ok_or_else(|| "expected walk, cycle, drive or transit".to_string())
    }
}

/// Resolved parameters of one travel mode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModeParams {
    /// The mode.
    pub mode: Mode,
    /// Average speed along the route, km/h.
    pub speed_kmh: f64,
    /// Route length divided by straight-line distance.
    pub circuity: f64,
}

impl ModeParams {
    /// Minutes to travel a straight-line distance in metres.
    pub fn minutes(&self, metres: f64) -> f64 {
        metres * self.circuity / (self.speed_kmh * 1000.0 / 60.0)
    }

    /// The straight-line distance in metres travelled in `minutes`.
    pub fn metres(&self, minutes: f64) -> f64 {
        minutes * (self.speed_kmh * 1000.0 / 60.0) / self.circuity
    }
}

/// The default speed (km/h) and circuity of a mode. Walking and cycling speeds are those of the
/// DfT journey time statistics (4.8 and 16 km/h); the driving speed is an average door-to-door
/// speed over mixed urban and rural roads. Circuity factors follow the published range of
/// 1.2-1.4 for road networks (Ballou, Rahardja & Sakai 2002; Boscoe et al. 2012). Public
/// transport's times always come from timetables; its nominal door-to-door speed (a bus with
/// the walks and waits) is used only to size things drawn around a site.
pub fn default_mode_params(mode: Mode) -> ModeParams {
    match mode {
        Mode::Walk => ModeParams {
            mode,
            speed_kmh: 4.8,
            circuity: 1.25,
        },
        Mode::Cycle => ModeParams {
            mode,
            speed_kmh: 16.0,
            circuity: 1.3,
        },
        Mode::Drive => ModeParams {
            mode,
            speed_kmh: 40.0,
            circuity: 1.35,
        },
        Mode::Transit => ModeParams {
            mode,
            speed_kmh: 15.0,
            circuity: 1.3,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back() {
        for m in Mode::ALL {
            assert_eq!(m.name().parse::<Mode>(), Ok(m));
        }
        assert!("bike".parse::<Mode>().is_err());
    }

    #[test]
    fn minutes_and_metres_are_inverse() {
        let p = default_mode_params(Mode::Walk);
        // 4.8 km/h is 80 m a minute; 1,000 m straight line × 1.25 is 15.625 minutes.
        assert!((p.minutes(1000.0) - 15.625).abs() < 1e-12);
        assert!((p.metres(15.625) - 1000.0).abs() < 1e-9);
    }
}
