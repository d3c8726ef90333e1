//! Static word lists the generated records draw from: people, places, products, carriers.
//! They are `static` so that generating a record never builds a table.

/// Given names of recipients, associates and payers.
#[rustfmt::skip]
pub static FIRST_NAMES: &[&str] = &[
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
    "Mia", "Mateo", "Charlotte", "Benjamin", "Amelia", "Henry", "Harper", "Theodore", "Evelyn",
    "Jack", "Abigail", "Levi", "Emily", "Daniel", "Ella", "Samuel", "Aria", "Owen", "Scarlett",
    "Wyatt", "Grace", "Julian", "Chloe", "Gabriel", "Priya", "Hiro", "Fatima", "Diego", "Mei",
    "Omar", "Zoe", "Caleb", "Nora", "Isaac", "Lily", "Ezra", "Hannah", "Aaron", "Layla",
    "Adrian", "Maya", "Xavier", "Leah", "Andre", "Naomi", "Tariq", "Sofia", "Marcus", "Ruby",
    "Kenji",
];

/// Family names.
#[rustfmt::skip]
pub static LAST_NAMES: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Patel", "Kim", "Chen", "Okafor",
    "Nakamura", "Schmidt", "O'Brien", "Kowalski", "Haddad", "Larsen",
];

/// Street names, combined with a number and a suffix.
#[rustfmt::skip]
pub static STREETS: &[&str] = &[
    "Maple", "Oak", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Park", "Sunset",
    "Ridge", "Meadow", "Forest", "River", "Highland", "Church", "Willow", "Jefferson",
    "Lincoln", "Madison", "Franklin", "Spring", "Valley", "Chestnut", "Walnut", "Harbor",
    "Mill", "Prospect", "Orchard", "Birch", "Magnolia", "Aspen", "Juniper", "Summit", "Grant",
    "Union", "Bayview", "Cherry", "Laurel", "Dogwood",
];

/// Street suffixes.
#[rustfmt::skip]
pub static STREET_SUFFIXES: &[&str] = &[
    "St", "Ave", "Rd", "Blvd", "Ln", "Dr", "Ct", "Way", "Pl", "Ter",
];

/// Second address lines, used now and then.
#[rustfmt::skip]
pub static UNITS: &[&str] = &[
    "Apt 2B", "Apt 4C", "Unit 12", "Suite 200", "Apt 101", "Floor 3", "Unit 7A",
];

/// A city with a postal code that belongs to it.
#[derive(Debug, Clone, Copy)]
pub struct City {
    /// City name.
    pub name: &'static str,
    /// State or province code.
    pub state: &'static str,
    /// A postal code of the city.
    pub postal: &'static str,
    /// Telephone area code.
    pub area: &'static str,
    /// Country code.
    pub country: &'static str,
    /// Sales tax in basis points.
    pub tax_bp: u32,
}

/// A US city with its tax rate.
const fn city(
    name: &'static str,
    state: &'static str,
    postal: &'static str,
    area: &'static str,
    tax_bp: u32,
) -> City {
    City {
        name,
        state,
        postal,
        area,
        country: "US",
        tax_bp,
    }
}

/// Destinations; the last few are Canadian to exercise cross-border fields.
#[rustfmt::skip]
pub static CITIES: &[City] = &[
    city("New York", "NY", "10001", "212", 888), city("Brooklyn", "NY", "11215", "718", 888),
    city("Los Angeles", "CA", "90012", "213", 950), city("San Francisco", "CA", "94110", "415", 863),
    city("San Diego", "CA", "92101", "619", 775), city("Chicago", "IL", "60614", "312", 1025),
    city("Houston", "TX", "77002", "713", 825), city("Austin", "TX", "78701", "512", 825),
    city("Dallas", "TX", "75201", "214", 825), city("Phoenix", "AZ", "85004", "602", 860),
    city("Philadelphia", "PA", "19103", "215", 800), city("Pittsburgh", "PA", "15222", "412", 700),
    city("Seattle", "WA", "98101", "206", 1035), city("Portland", "OR", "97205", "503", 0),
    city("Denver", "CO", "80202", "303", 881), city("Boston", "MA", "02116", "617", 625),
    city("Atlanta", "GA", "30303", "404", 890), city("Miami", "FL", "33130", "305", 700),
    city("Orlando", "FL", "32801", "407", 650), city("Nashville", "TN", "37203", "615", 925),
    city("Charlotte", "NC", "28202", "704", 725), city("Raleigh", "NC", "27601", "919", 725),
    city("Minneapolis", "MN", "55401", "612", 903), city("Detroit", "MI", "48226", "313", 600),
    city("Columbus", "OH", "43215", "614", 750), city("Cleveland", "OH", "44113", "216", 800),
    city("Indianapolis", "IN", "46204", "317", 700), city("Kansas City", "MO", "64105", "816", 885),
    city("St. Louis", "MO", "63101", "314", 970), city("Salt Lake City", "UT", "84101", "801", 775),
    city("Las Vegas", "NV", "89101", "702", 838), city("Albuquerque", "NM", "87102", "505", 788),
    city("New Orleans", "LA", "70112", "504", 945), city("Baltimore", "MD", "21202", "410", 600),
    city("Richmond", "VA", "23219", "804", 600), city("Milwaukee", "WI", "53202", "414", 550),
    City { name: "Toronto", state: "ON", postal: "M5V 2T6", area: "416", country: "CA", tax_bp: 1300 },
    City { name: "Vancouver", state: "BC", postal: "V6B 1A1", area: "604", country: "CA", tax_bp: 1200 },
];

/// Business recipients of b2b orders.
#[rustfmt::skip]
pub static COMPANIES: &[&str] = &[
    "Harborview Goods", "Juniper & Co.", "Meridian Outfitters", "Copperline Retail",
    "Bright Basket Market", "Northgate Supply", "Tidewater Trading", "Blue Heron Boutique",
    "Alder Street Mercantile", "Summit Peak Sports", "Lantern House Gifts",
    "Prairie Sky Stores",
];

/// A kind of product with sensible physical and commercial defaults.
#[derive(Debug, Clone, Copy)]
pub struct Noun {
    /// Display noun.
    pub name: &'static str,
    /// SKU prefix.
    pub code: &'static str,
    /// Typical price in cents.
    pub price: i64,
    /// Weight of one unit in ounces.
    pub weight_oz: f64,
    /// Length, width and height in inches.
    pub dims: (f64, f64, f64),
    /// HS tariff code.
    pub hs: &'static str,
    /// Variant labels and their SKU codes: colours, scents, flavours.
    pub variants: &'static [(&'static str, &'static str)],
}

/// A product kind whose variants are colours.
const fn noun(
    name: &'static str,
    code: &'static str,
    price: i64,
    weight_oz: f64,
    dims: (f64, f64, f64),
    hs: &'static str,
) -> Noun {
    Noun {
        name,
        code,
        price,
        weight_oz,
        dims,
        hs,
        variants: COLORS,
    }
}

/// A product kind with its own variant list.
const fn with(n: Noun, variants: &'static [(&'static str, &'static str)]) -> Noun {
    Noun { variants, ..n }
}

/// Scents of candles and creams.
#[rustfmt::skip]
static SCENTS: &[(&str, &str)] = &[
    ("Unscented", "UNS"), ("Lavender", "LAV"), ("Eucalyptus", "EUC"), ("Citrus", "CIT"),
    ("Sandalwood", "SDW"),
];
/// Flavours of supplements.
#[rustfmt::skip]
static FLAVORS: &[(&str, &str)] = &[
    ("Vanilla", "VAN"), ("Chocolate", "CHO"), ("Unflavored", "UNF"), ("Strawberry", "STR"),
];
/// Coffee roasts.
#[rustfmt::skip]
static ROASTS: &[(&str, &str)] = &[
    ("Light Roast", "LGT"), ("Medium Roast", "MED"), ("Dark Roast", "DRK"), ("Decaf", "DCF"),
];
/// Tea varieties.
#[rustfmt::skip]
static TEAS: &[(&str, &str)] = &[
    ("Jasmine", "JAS"), ("Sencha", "SEN"), ("Earl Grey", "EGR"), ("Chamomile", "CHA"),
];

/// Product kinds.
#[rustfmt::skip]
pub static NOUNS: &[Noun] = &[
    noun("T-Shirt", "TEE", 2400, 6.0, (10.0, 8.0, 1.0), "6109.10"),
    noun("Hoodie", "HOOD", 5800, 18.0, (12.0, 10.0, 3.0), "6110.20"),
    noun("Crewneck Sweater", "SWTR", 6400, 16.0, (12.0, 10.0, 2.5), "6110.20"),
    noun("Joggers", "JOG", 4800, 12.0, (12.0, 9.0, 2.0), "6103.42"),
    noun("Baseball Cap", "CAP", 2800, 4.0, (9.0, 7.0, 5.0), "6505.00"),
    noun("Beanie", "BEAN", 2200, 3.0, (8.0, 6.0, 1.0), "6505.00"),
    noun("Wool Socks", "SOCK", 1600, 3.0, (7.0, 4.0, 1.0), "6115.95"),
    noun("Canvas Tote Bag", "TOTE", 3200, 9.0, (15.0, 13.0, 1.0), "4202.22"),
    noun("Backpack", "BPK", 8900, 28.0, (18.0, 12.0, 6.0), "4202.92"),
    noun("Water Bottle", "BTL", 3000, 12.0, (10.0, 3.0, 3.0), "7323.93"),
    noun("Travel Mug", "MUG", 2600, 10.0, (7.0, 4.0, 4.0), "7323.93"),
    noun("Ceramic Mug", "CMUG", 1800, 14.0, (5.0, 4.0, 4.0), "6912.00"),
    with(noun("Scented Candle", "CNDL", 3400, 16.0, (4.0, 4.0, 5.0), "3406.00"), SCENTS),
    noun("Throw Blanket", "BLKT", 7800, 40.0, (16.0, 12.0, 6.0), "6301.40"),
    noun("Yoga Mat", "YOGA", 6800, 48.0, (26.0, 6.0, 6.0), "3918.10"),
    noun("Phone Case", "CASE", 2900, 2.0, (7.0, 4.0, 1.0), "3926.90"),
    noun("Wireless Charger", "CHRG", 3900, 6.0, (5.0, 5.0, 2.0), "8504.40"),
    noun("Bluetooth Speaker", "SPKR", 7900, 20.0, (8.0, 4.0, 4.0), "8518.22"),
    noun("Notebook", "NOTE", 1400, 8.0, (9.0, 6.0, 1.0), "4820.10"),
    noun("Sunglasses", "SUNG", 5400, 3.0, (7.0, 3.0, 2.0), "9004.10"),
    noun("Leather Wallet", "WLT", 4500, 4.0, (5.0, 4.0, 1.0), "4202.31"),
    with(noun("Face Serum", "SERM", 3800, 3.0, (5.0, 2.0, 2.0), "3304.99"), SCENTS),
    with(noun("Hand Cream", "HCRM", 1900, 4.0, (6.0, 2.0, 2.0), "3304.99"), SCENTS),
    with(noun("Protein Powder", "PROT", 4900, 36.0, (10.0, 6.0, 6.0), "2106.10"), FLAVORS),
    with(noun("Coffee Beans", "COFF", 1800, 12.0, (8.0, 5.0, 3.0), "0901.21"), ROASTS),
    with(noun("Tea Tin", "TEA", 1500, 5.0, (4.0, 4.0, 5.0), "0902.10"), TEAS),
    noun("Dog Leash", "LEASH", 2400, 7.0, (8.0, 6.0, 2.0), "4201.00"),
    noun("Cat Toy Set", "CTOY", 1400, 4.0, (8.0, 6.0, 2.0), "9503.00"),
    noun("Cutting Board", "CBRD", 4200, 40.0, (16.0, 11.0, 2.0), "4419.19"),
    noun("Chef Knife", "KNIF", 8900, 9.0, (14.0, 3.0, 2.0), "8211.91"),
    noun("Running Shoes", "SHOE", 12000, 26.0, (13.0, 8.0, 5.0), "6404.11"),
    noun("Rain Jacket", "JKT", 11500, 22.0, (14.0, 11.0, 3.0), "6201.40"),
];

/// Adjectives that lead product names.
#[rustfmt::skip]
pub static ADJECTIVES: &[&str] = &[
    "Classic", "Everyday", "Essential", "Premium", "Vintage", "Organic", "Ultralight",
    "Heritage", "Coastal", "Alpine", "Urban", "Signature", "Recycled", "Modern", "Cozy",
    "Performance", "Handmade", "Weekend", "Original", "Studio",
];

/// Colours and their SKU codes.
#[rustfmt::skip]
pub static COLORS: &[(&str, &str)] = &[
    ("Black", "BLK"), ("White", "WHT"), ("Navy", "NVY"), ("Heather Grey", "GRY"),
    ("Forest Green", "GRN"), ("Rust", "RST"), ("Sand", "SND"), ("Charcoal", "CHR"),
    ("Sky Blue", "SKY"), ("Burgundy", "BRG"), ("Olive", "OLV"), ("Cream", "CRM"),
];

/// Variant sizes of cart products.
pub static SIZES: &[&str] = &["S", "M", "L", "XL"];

/// Shipping boxes, smallest first: name, length, width and height in inches, own weight in oz.
#[rustfmt::skip]
pub static BOXES: &[(&str, f64, f64, f64, f64)] = &[
    ("Poly Mailer 10x13", 10.0, 13.0, 1.0, 1.0), ("10x8x4", 10.0, 8.0, 4.0, 5.0),
    ("12x9x4", 12.0, 9.0, 4.0, 6.0), ("14x10x6", 14.0, 10.0, 6.0, 9.0),
    ("16x12x8", 16.0, 12.0, 8.0, 12.0), ("18x14x10", 18.0, 14.0, 10.0, 16.0),
];

/// A parcel carrier.
#[derive(Debug, Clone, Copy)]
pub struct Carrier {
    /// Stable id.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Standard Carrier Alpha Code.
    pub scac: &'static str,
    /// Tracking page; the tracking number is appended.
    pub tracking_url: &'static str,
}

/// Carriers, indexed by [`Method::carrier`].
#[rustfmt::skip]
pub static CARRIERS: &[Carrier] = &[
    Carrier { id: "ups", name: "UPS", scac: "UPSN", tracking_url: "https://www.ups.com/track?tracknum=" },
    Carrier { id: "fedex", name: "FedEx", scac: "FDEG", tracking_url: "https://www.fedex.com/fedextrack/?trknbr=" },
    Carrier { id: "usps", name: "USPS", scac: "USPS", tracking_url: "https://tools.usps.com/go/TrackConfirmAction?tLabels=" },
    Carrier { id: "dhl_express", name: "DHL Express", scac: "DHLC", tracking_url: "https://www.dhl.com/us-en/home/tracking.html?tracking-id=" },
];

/// A carrier service.
#[derive(Debug, Clone, Copy)]
pub struct Method {
    /// Display name.
    pub name: &'static str,
    /// Index into [`CARRIERS`].
    pub carrier: usize,
    /// Service level.
    pub level: &'static str,
    /// Typical label cost in cents for a small parcel.
    pub cost: i64,
}

/// The eight shipping methods of the WMS, in id order.
#[rustfmt::skip]
pub static METHODS: &[Method] = &[
    Method { name: "UPS Ground", carrier: 0, level: "ground", cost: 1150 },
    Method { name: "UPS 2nd Day Air", carrier: 0, level: "2day", cost: 2490 },
    Method { name: "UPS Next Day Air Saver", carrier: 0, level: "overnight", cost: 4875 },
    Method { name: "FedEx Ground Home Delivery", carrier: 1, level: "ground", cost: 1095 },
    Method { name: "FedEx 2Day", carrier: 1, level: "2day", cost: 2380 },
    Method { name: "USPS Ground Advantage", carrier: 2, level: "ground", cost: 685 },
    Method { name: "USPS Priority Mail", carrier: 2, level: "priority", cost: 995 },
    Method { name: "DHL Express Worldwide", carrier: 3, level: "international", cost: 5650 },
];

/// Relative frequency of each method on orders.
pub static METHOD_WEIGHTS: &[u32] = &[30, 6, 2, 16, 4, 22, 16, 4];

/// Why customers send things back.
#[rustfmt::skip]
pub static RETURN_REASONS: &[&str] = &[
    "Too small", "Too large", "Changed mind", "Arrived damaged", "Not as described",
    "Wrong item received", "Defective", "Better price elsewhere",
];

/// The source's own order tags.
#[rustfmt::skip]
pub static ORDER_TAGS: &[&str] = &[
    "vip", "gift", "rush", "first-order", "subscription", "promo:SPRING", "wholesale",
    "influencer",
];

/// Product tags of the cart.
#[rustfmt::skip]
pub static PRODUCT_TAGS: &[&str] = &[
    "new-arrival", "bestseller", "sale", "summer", "winter", "limited", "eco", "gift-idea",
];

/// `user.name{n}@example.com`-style email of a person.
pub fn email(first: &str, last: &str, n: u64) -> String {
    let clean = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase()
    };
    format!("{}.{}{}@example.com", clean(first), clean(last), n % 1000)
}
