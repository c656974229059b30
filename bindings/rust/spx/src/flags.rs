//! A small bit-set newtype generator, so the crate needs no `bitflags`.

macro_rules! flags {
    (
        $(#[$meta:meta])*
        pub struct $name:ident: $t:ty {
            $( $(#[$fmeta:meta])* const $flag:ident = $value:expr; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name($t);

        impl $name {
            $( $(#[$fmeta])* pub const $flag: $name = $name($value); )*

            /// No bit set.
            pub const fn empty() -> Self {
                $name(0)
            }

            /// These raw bits, unknown ones included (the library refuses
            /// those it does not know, when they are used).
            pub const fn from_bits_retain(bits: $t) -> Self {
                $name(bits)
            }

            /// The raw bits, as the C API takes them.
            pub const fn bits(self) -> $t {
                self.0
            }

            /// Whether no bit is set.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// Whether every bit of `other` is set in `self`.
            pub const fn contains(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }
        }

        impl core::ops::BitOr for $name {
            type Output = Self;
            fn bitor(self, rhs: Self) -> Self {
                $name(self.0 | rhs.0)
            }
        }

        impl core::ops::BitOrAssign for $name {
            fn bitor_assign(&mut self, rhs: Self) {
                self.0 |= rhs.0;
            }
        }

        impl core::ops::BitAnd for $name {
            type Output = Self;
            fn bitand(self, rhs: Self) -> Self {
                $name(self.0 & rhs.0)
            }
        }

        impl core::ops::Sub for $name {
            type Output = Self;
            fn sub(self, rhs: Self) -> Self {
                $name(self.0 & !rhs.0)
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                let mut names: Vec<String> = Vec::new();
                let mut rest = self.0;
                $(
                    let v: $t = $value;
                    // Single bits only: combinations (RO, RW) would repeat them.
                    if v.count_ones() == 1 && self.0 & v != 0 {
                        names.push(stringify!($flag).to_string());
                        rest &= !v;
                    }
                )*
                if rest != 0 {
                    names.push(format!("{rest:#x}"));
                }
                write!(f, "{}({})", stringify!($name), names.join(" | "))
            }
        }
    };
}
