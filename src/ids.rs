//! Typed indices into the study's tables, like `NodeId` and `LinkId` of the network: a
//! [`SiteIx`] cannot be used where a zone is meant. Each indexes a `Vec` or slice directly.

use std::ops::{Index, IndexMut};

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The index as a `usize`.
            pub fn ix(self) -> usize {
                self.0 as usize
            }
        }

        impl From<usize> for $name {
            fn from(i: usize) -> Self {
                $name(u32::try_from(i).expect("fewer than 2^32 entries"))
            }
        }

        impl<T> Index<$name> for [T] {
            type Output = T;
            fn index(&self, i: $name) -> &T {
                &self[i.ix()]
            }
        }

        impl<T> IndexMut<$name> for [T] {
            fn index_mut(&mut self, i: $name) -> &mut T {
                &mut self[i.ix()]
            }
        }

        impl<T> Index<$name> for Vec<T> {
            type Output = T;
            fn index(&self, i: $name) -> &T {
                &self[i.ix()]
            }
        }

        impl<T> IndexMut<$name> for Vec<T> {
            fn index_mut(&mut self, i: $name) -> &mut T {
                &mut self[i.ix()]
            }
        }
    };
}

index_type!(
    /// A site: an index into `Study::sites`.
    SiteIx
);
index_type!(
    /// A zone: an index into `Study::zones`.
    ZoneIx
);
index_type!(
    /// A travel mode of the study: an index into `Study::modes` (and `Reach::modes`).
    ModeIx
);
index_type!(
    /// A time band of the study: an index into `Study::bands`.
    BandIx
);

/// The study's time bands in minutes: at least one, strictly increasing, so the largest band
/// always exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bands(Vec<u32>);

impl Bands {
    /// Checks that there is at least one band and that they increase; says what is wrong
    /// otherwise.
    pub fn new(minutes: Vec<u32>) -> Result<Bands, String> {
        if minutes.is_empty() {
            return Err("expected at least one band, in minutes".into());
        }
        if minutes.windows(2).any(|w| w[0] >= w[1]) || minutes[0] == 0 {
            return Err("bands must be whole minutes above 0, in increasing order".into());
        }
        Ok(Bands(minutes))
    }

    /// The largest band, minutes.
    pub fn largest(&self) -> u32 {
        *self.0.last().expect("a Bands is never empty")
    }

    /// Each band with its typed index.
    pub fn indexed(&self) -> impl Iterator<Item = (BandIx, u32)> + '_ {
        self.0
            .iter()
            .enumerate()
            .map(|(b, &m)| (BandIx::from(b), m))
    }
}

impl<'a> IntoIterator for &'a Bands {
    type Item = &'a u32;
    type IntoIter = std::slice::Iter<'a, u32>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl serde::Serialize for Bands {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl std::ops::Deref for Bands {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_are_checked() {
        assert!(Bands::new(vec![]).is_err());
        assert!(Bands::new(vec![20, 10]).is_err());
        assert!(Bands::new(vec![10, 10]).is_err());
        assert!(Bands::new(vec![0, 10]).is_err());
        let b = Bands::new(vec![10, 20, 30]).unwrap();
        assert_eq!(b.largest(), 30);
        assert_eq!(b[BandIx(1)], 20);
        assert_eq!(b.indexed().last(), Some((BandIx(2), 30)));
    }

    #[test]
    fn typed_indices_index_vectors() {
        let v = ["a", "b"];
        assert_eq!(v[SiteIx(1)], "b");
        assert_eq!(SiteIx::from(1usize).ix(), 1);
    }
}
