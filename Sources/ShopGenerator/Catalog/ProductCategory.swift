/// A product category of the generated shop: its Korean name, the price band of its products, the words
/// that name its products, and how often each aspect comes up in its negative reviews.
struct ProductCategory: Sendable {
    /// The Korean category name stored in `shop.products.category`.
    let name: String
    /// The SKU prefix.
    let code: String
    /// Relative share of the catalogue.
    let weight: Double
    /// Cheapest and dearest list price in won; prices are log-uniform in between.
    let priceRange: ClosedRange<Int64>
    /// What a shopper calls the product in a review (티셔츠, 운동화); also the last word of product names.
    let nouns: [String]
    /// Words that go before the noun in a product name (오버핏, 데일리).
    let modifiers: [String]
    /// Words that may end a product name (colours, sizes, volumes).
    let variants: [String]
    /// Relative frequency of each aspect in this category's reviews; absent aspects never come up.
    let aspectWeights: [ReviewAspect: Double]
    /// Whether shoppers here often buy several units at once.
    let bulk: Bool

    /// The aspects of this category with their weights, in a fixed order (for seeded choices).
    var weightedAspects: [(aspect: ReviewAspect, weight: Double)] {
        ReviewAspect.allCases.compactMap { aspect in aspectWeights[aspect].map { (aspect, $0) } }
    }

    /// The shop's categories, in a fixed order that is part of the generated data's definition.
    static let all: [ProductCategory] = [
        ProductCategory(
            name: "의류", code: "CL", weight: 0.22, priceRange: 9_900...129_000,
            nouns: ["티셔츠", "셔츠", "바지", "청바지", "원피스", "니트", "후드티", "자켓", "코트", "레깅스"],
            modifiers: ["오버핏", "데일리", "코튼", "린넨", "기모", "슬림핏", "베이직", "빈티지", "루즈핏"],
            variants: ["블랙", "화이트", "네이비", "베이지", "그레이", "FREE", "M", "L"],
            aspectWeights: [
                .delivery: 18, .quality: 20, .sizeFit: 26, .price: 6, .packaging: 4, .service: 6, .color: 10,
                .mismatch: 8, .smell: 2,
            ],
            bulk: false),
        ProductCategory(
            name: "신발", code: "SH", weight: 0.10, priceRange: 19_000...189_000,
            nouns: ["운동화", "스니커즈", "구두", "슬리퍼", "샌들", "부츠", "로퍼"],
            modifiers: ["쿠션", "경량", "데일리", "런닝", "키높이", "캔버스", "가죽"],
            variants: ["240", "250", "260", "270", "블랙", "화이트"],
            aspectWeights: [
                .delivery: 18, .quality: 22, .sizeFit: 28, .price: 6, .packaging: 5, .service: 6, .color: 5,
                .mismatch: 6, .smell: 4,
            ],
            bulk: false),
        ProductCategory(
            name: "가방", code: "BG", weight: 0.07, priceRange: 15_000...249_000,
            nouns: ["가방", "백팩", "크로스백", "토트백", "숄더백", "에코백", "지갑"],
            modifiers: ["캔버스", "가죽", "미니", "데일리", "심플", "빅사이즈", "경량"],
            variants: ["블랙", "브라운", "아이보리", "카키"],
            aspectWeights: [
                .delivery: 22, .quality: 28, .price: 8, .packaging: 6, .service: 8, .color: 10, .mismatch: 12,
                .smell: 6,
            ],
            bulk: false),
        ProductCategory(
            name: "화장품", code: "CO", weight: 0.14, priceRange: 6_900...89_000,
            nouns: ["크림", "토너", "세럼", "선크림", "쿠션", "립스틱", "클렌징폼", "마스크팩"],
            modifiers: ["수분", "진정", "촉촉", "저자극", "비건", "톤업", "데일리"],
            variants: ["50ml", "100ml", "150ml", "1+1", "기획세트"],
            aspectWeights: [
                .delivery: 26, .quality: 16, .price: 12, .packaging: 14, .service: 8, .color: 6, .mismatch: 6,
                .smell: 12,
            ],
            bulk: true),
        ProductCategory(
            name: "식품", code: "FD", weight: 0.14, priceRange: 3_900...59_000,
            nouns: ["견과류", "닭가슴살", "그래놀라", "김치", "원두", "단백질바", "고구마", "과일청"],
            modifiers: ["국내산", "무가당", "저당", "유기농", "하루", "수제", "대용량"],
            variants: ["500g", "1kg", "10팩", "20개입", "선물세트"],
            aspectWeights: [.delivery: 34, .quality: 16, .price: 14, .packaging: 20, .service: 6, .smell: 10],
            bulk: true),
        ProductCategory(
            name: "생활용품", code: "LV", weight: 0.13, priceRange: 2_900...49_000,
            nouns: ["수건", "세제", "물티슈", "칫솔", "휴지", "수납함", "방향제", "샤워기"],
            modifiers: ["대용량", "호텔식", "순면", "무향", "친환경", "고급", "리필"],
            variants: ["10개입", "3롤", "4P", "1L", "2L"],
            aspectWeights: [
                .delivery: 30, .quality: 24, .price: 14, .packaging: 12, .service: 6, .color: 3, .mismatch: 5,
                .smell: 6,
            ],
            bulk: true),
        ProductCategory(
            name: "전자기기", code: "EL", weight: 0.09, priceRange: 12_900...890_000,
            nouns: ["이어폰", "충전기", "키보드", "마우스", "스피커", "보조배터리", "스마트워치", "케이블"],
            modifiers: ["무선", "블루투스", "고속", "휴대용", "게이밍", "저소음", "미니"],
            variants: ["블랙", "화이트", "C타입", "2세대"],
            aspectWeights: [
                .delivery: 22, .quality: 34, .price: 12, .packaging: 8, .service: 14, .color: 2, .mismatch: 8,
            ],
            bulk: false),
        ProductCategory(
            name: "주방용품", code: "KT", weight: 0.11, priceRange: 4_900...159_000,
            nouns: ["프라이팬", "냄비", "텀블러", "도마", "식칼", "밀폐용기", "수저세트", "머그컵"],
            modifiers: ["인덕션", "스텐", "논스틱", "원목", "세라믹", "대용량", "보온"],
            variants: ["20cm", "24cm", "28cm", "3P", "5종 세트"],
            aspectWeights: [
                .delivery: 24, .quality: 30, .price: 10, .packaging: 12, .service: 8, .color: 3, .mismatch: 7,
                .smell: 6,
            ],
            bulk: false),
    ]
}
