//! Jurisdictions (which law sets the period) and regions (whose holidays roll the date).

use std::fmt;
use std::str::FromStr;

use crate::domain::UnknownCode;

/// The law whose response period applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Jurisdiction {
    /// EU GDPR, periods counted by Regulation 1182/71.
    Gdpr,
    /// UK GDPR as amended by the Data (Use and Access) Act 2025.
    UkGdpr,
    /// California CCPA/CPRA regulations.
    Ccpa,
    /// Brazil LGPD.
    Lgpd,
}

impl Jurisdiction {
    /// Every jurisdiction.
    pub const ALL: &'static [Jurisdiction] =
        &[Jurisdiction::Gdpr, Jurisdiction::UkGdpr, Jurisdiction::Ccpa, Jurisdiction::Lgpd];

    /// Stable spelling.
    pub fn code(self) -> &'static str {
        match self {
            Jurisdiction::Gdpr => "gdpr",
            Jurisdiction::UkGdpr => "uk-gdpr",
            Jurisdiction::Ccpa => "ccpa",
            Jurisdiction::Lgpd => "lgpd",
        }
    }

    /// The region used when none is given.
    pub fn default_region(self) -> Region {
        match self {
            Jurisdiction::Gdpr => Region::DeNw,
            Jurisdiction::UkGdpr => Region::GbEng,
            Jurisdiction::Ccpa => Region::UsCa,
            Jurisdiction::Lgpd => Region::Br,
        }
    }

    /// Whether `region`'s calendar belongs to this law's territory.
    pub fn covers(self, region: Region) -> bool {
        match self {
            Jurisdiction::Gdpr => region.country() == "DE" || region.country() == "NL",
            Jurisdiction::UkGdpr => region == Region::GbEng,
            Jurisdiction::Ccpa => region == Region::UsCa,
            Jurisdiction::Lgpd => region == Region::Br,
        }
    }

    /// The regions this jurisdiction covers.
    pub fn regions(self) -> impl Iterator<Item = Region> {
        Region::ALL.iter().copied().filter(move |r| self.covers(*r))
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Jurisdiction {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        let t = s.trim().to_ascii_lowercase();
        Jurisdiction::ALL.iter().copied().find(|j| j.code() == t).ok_or_else(|| UnknownCode {
            field: "jurisdiction",
            given: s.chars().take(40).collect(),
            allowed: Jurisdiction::ALL.iter().map(|j| j.code()).collect::<Vec<_>>().join(", "),
        })
    }
}

macro_rules! regions {
    ($($variant:ident => $code:literal, $name:literal;)+) => {
        /// A holiday calendar: a German Land, the Netherlands, England and Wales, California, Brazil.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Region { $(#[doc = $name] $variant),+ }

        impl Region {
            /// Every region.
            pub const ALL: &'static [Region] = &[$(Region::$variant),+];
            /// ISO 3166-2 style code, e.g. `DE-BW`.
            pub fn code(self) -> &'static str { match self { $(Region::$variant => $code),+ } }
            /// Human name.
            pub fn name(self) -> &'static str { match self { $(Region::$variant => $name),+ } }
        }
    };
}

regions! {
    DeBw => "DE-BW", "Baden-Württemberg";
    DeBy => "DE-BY", "Bayern";
    DeBe => "DE-BE", "Berlin";
    DeBb => "DE-BB", "Brandenburg";
    DeHb => "DE-HB", "Bremen";
    DeHh => "DE-HH", "Hamburg";
    DeHe => "DE-HE", "Hessen";
    DeMv => "DE-MV", "Mecklenburg-Vorpommern";
    DeNi => "DE-NI", "Niedersachsen";
    DeNw => "DE-NW", "Nordrhein-Westfalen";
    DeRp => "DE-RP", "Rheinland-Pfalz";
    DeSl => "DE-SL", "Saarland";
    DeSn => "DE-SN", "Sachsen";
    DeSt => "DE-ST", "Sachsen-Anhalt";
    DeSh => "DE-SH", "Schleswig-Holstein";
    DeTh => "DE-TH", "Thüringen";
    Nl => "NL", "Nederland";
    GbEng => "GB-ENG", "England and Wales";
    UsCa => "US-CA", "California";
    Br => "BR", "Brasil";
}

impl Region {
    /// ISO 3166-1 alpha-2 country of the region.
    pub fn country(self) -> &'static str {
        let c = self.code();
        &c[..2]
    }

    /// The jurisdiction whose law usually applies in this region.
    pub fn default_jurisdiction(self) -> Jurisdiction {
        match self.country() {
            "GB" => Jurisdiction::UkGdpr,
            "US" => Jurisdiction::Ccpa,
            "BR" => Jurisdiction::Lgpd,
            _ => Jurisdiction::Gdpr,
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Region {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        let t = s.trim().to_ascii_uppercase().replace('_', "-");
        Region::ALL.iter().copied().find(|r| r.code() == t).ok_or_else(|| UnknownCode {
            field: "region",
            given: s.chars().take(40).collect(),
            allowed: Region::ALL.iter().map(|r| r.code()).collect::<Vec<_>>().join(", "),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_has_one_jurisdiction_that_covers_it() {
        for r in Region::ALL {
            assert!(r.default_jurisdiction().covers(*r), "{r}");
            assert_eq!(r.code().parse::<Region>().unwrap(), *r);
        }
        assert_eq!(Jurisdiction::Gdpr.regions().count(), 17);
        assert!("DE-XX".parse::<Region>().unwrap_err().to_string().contains("DE-BW"));
    }
}
