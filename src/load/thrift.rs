//! A walk over a Parquet file's footer (Thrift compact protocol) that checks every length it
//! claims against the bytes that are there, before the Parquet reader decodes it. polars-parquet
//! 0.55 allocates what a damaged footer claims (fuzzing found a list of 136 GB), and a failed
//! allocation aborts the process, beyond any error handling; this walk refuses such a footer as
//! damaged instead. It reads nothing into memory: it only skips.

/// Deepest nesting of structs and lists accepted (Parquet footers nest a few levels).
const MAX_DEPTH: usize = 64;

struct Walk<'a> {
    bytes: &'a [u8],
    at: usize,
}

type Step = Result<(), &'static str>;

impl Walk<'_> {
    fn left(&self) -> usize {
        self.bytes.len() - self.at
    }

    fn byte(&mut self) -> Result<u8, &'static str> {
        let b = *self.bytes.get(self.at).ok_or("cut short")?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, &'static str> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("a number longer than 10 bytes")
    }

    fn skip(&mut self, n: u64) -> Step {
        if n > self.left() as u64 {
            return Err("a length beyond the end of the footer");
        }
        self.at += n as usize;
        Ok(())
    }

    /// A count of items each at least one byte long, checked against the bytes left.
    fn count(&mut self, n: u64) -> Result<u64, &'static str> {
        if n > self.left() as u64 {
            return Err("a list longer than the footer");
        }
        Ok(n)
    }

    fn value(&mut self, kind: u8, depth: usize) -> Step {
        if depth > MAX_DEPTH {
            return Err("nested too deeply");
        }
        match kind {
            1 | 2 => Ok(()),
            3 => self.skip(1),
            4..=6 => self.varint().map(|_| ()),
            7 => self.skip(8),
            8 => {
                let n = self.varint()?;
                self.skip(n)
            }
            9 | 10 => self.list(depth),
            11 => self.map(depth),
            12 => self.strukt(depth),
            _ => Err("an unknown Thrift type"),
        }
    }

    fn list(&mut self, depth: usize) -> Step {
        let head = self.byte()?;
        let (short, kind) = (head >> 4, head & 0x0f);
        let n = if short == 15 {
            self.varint()?
        } else {
            u64::from(short)
        };
        let n = self.count(n)?;
        for _ in 0..n {
            // Booleans in a list are one byte each.
            if kind == 1 || kind == 2 {
                self.skip(1)?;
            } else {
                self.value(kind, depth + 1)?;
            }
        }
        Ok(())
    }

    fn map(&mut self, depth: usize) -> Step {
        let n = self.varint()?;
        if n == 0 {
            return Ok(());
        }
        let n = self.count(n)?;
        let kinds = self.byte()?;
        for _ in 0..n {
            self.value(kinds >> 4, depth + 1)?;
            self.value(kinds & 0x0f, depth + 1)?;
        }
        Ok(())
    }

    fn strukt(&mut self, depth: usize) -> Step {
        let mut id: i64 = 0;
        loop {
            let head = self.byte()?;
            if head == 0 {
                return Ok(());
            }
            id = match head >> 4 {
                0 => zigzag(self.varint()?), // the field id, in full
                delta => id + i64::from(delta),
            };
            let kind = head & 0x0f;
            if depth == 0 && !root_type_fits(id, kind) {
                return Err("a field of the wrong type");
            }
            self.value(kind, depth + 1)?;
        }
    }
}

fn zigzag(v: u64) -> i64 {
    (v >> 1) as i64 ^ -((v & 1) as i64)
}

/// Whether a field of the footer's root (FileMetaData in parquet.thrift) has its type: the
/// reader decodes a field by its id whatever type it declares, so a list where the file says
/// an integer would be read with a length from nowhere. Unknown ids are skipped by both.
fn root_type_fits(id: i64, kind: u8) -> bool {
    let want: &[u8] = match id {
        1 => &[5],
        3 => &[6],
        2 | 4 | 5 | 7 => &[9],
        6 | 9 => &[8],
        8 => &[12],
        _ => return true,
    };
    want.contains(&kind)
}

/// Checks the footer of a Parquet file: every length within it is within it. `Err` says what is
/// damaged.
pub(crate) fn check_footer(file: &[u8]) -> Result<(), &'static str> {
    let n = file.len();
    if n < 12 || &file[n - 4..] != b"PAR1" {
        return Err("it does not end with the Parquet footer");
    }
    let len = u32::from_le_bytes(file[n - 8..n - 4].try_into().expect("4 bytes")) as usize;
    if len > n - 8 {
        return Err("its footer is longer than the file");
    }
    let footer = &file[n - 8 - len..n - 8];
    Walk {
        bytes: footer,
        at: 0,
    }
    .strukt(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(footer: &[u8]) -> Vec<u8> {
        let mut f = b"PAR1".to_vec();
        f.extend_from_slice(footer);
        f.extend_from_slice(&(footer.len() as u32).to_le_bytes());
        f.extend_from_slice(b"PAR1");
        f
    }

    #[test]
    fn a_small_footer_passes_and_lying_lengths_do_not() {
        // Field 1 (i32, delta 1) = 1; field 2 (list, delta 1) of 2 i32s; stop.
        assert_eq!(
            check_footer(&file(&[0x15, 0x02, 0x19, 0x25, 0x02, 0x04, 0x00])),
            Ok(())
        );
        // A list claiming 2^28 elements (long form) in a footer of a few bytes.
        let lying = [0x29, 0xf5, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00];
        assert_eq!(
            check_footer(&file(&lying)),
            Err("a list longer than the footer")
        );
        // A binary field longer than the footer.
        assert_eq!(
            check_footer(&file(&[0x68, 0x7f, 0x00])),
            Err("a length beyond the end of the footer")
        );
        // Field 2 (the schema, a list) declared as an i32: the reader would read a list anyway.
        assert_eq!(
            check_footer(&file(&[0x25, 0x02, 0x00])),
            Err("a field of the wrong type")
        );
        assert!(check_footer(b"PAR1").is_err());
        assert!(check_footer(&file(&[0x1c; 100])).is_err());
    }
}
