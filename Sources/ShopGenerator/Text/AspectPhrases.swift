/// The hand-written clauses about one complaint aspect: praise, complaints and mild complaints.
///
/// Every clause names its aspect with one of the aspect's keywords in `CRM.AspectLexicon.korean`
/// (in the subject or in the predicate's stem, so every conjugation keeps it), and no keyword of
/// another aspect: the tests check both over all combinations.
struct AspectPhrases: Sendable {
    /// Clauses that praise the aspect.
    let praise: [PhraseGroup]
    /// Clear complaints, for 1- and 2-star reviews.
    let complaint: [PhraseGroup]
    /// Mild complaints, for 2- and 3-star reviews and the small gripe in a 4-star one.
    let mildComplaint: [PhraseGroup]

    /// The phrases of `aspect`.
    static func of(_ aspect: ReviewAspect) -> AspectPhrases {
        switch aspect {
        case .delivery: delivery
        case .quality: quality
        case .sizeFit: sizeFit
        case .price: price
        case .packaging: packaging
        case .service: service
        case .color: color
        case .mismatch: mismatch
        case .smell: smell
        }
    }

    private static let clothing: Set<String> = ["의류"]
    private static let wearables: Set<String> = ["의류", "신발"]
    private static let washables: Set<String> = ["의류", "생활용품"]
    private static let devices: Set<String> = ["전자기기"]
    private static let durables: Set<String> = ["의류", "신발", "가방", "생활용품", "전자기기", "주방용품"]

    static let delivery = AspectPhrases(
        praise: [
            PhraseGroup(
                ["배송이", "배송도", "배송 속도가", "택배가", "배송은"],
                [
                    .d("정말 빠르", "빨라"), .d("엄청 빠르", "빨라"), .d("생각보다 빠르", "빨라"), .d("총알같"), .n("총알 수준"),
                    .d("진짜 빠르", "빨라"),
                ]),
            .clauses([
                .d("주문 다음 날 바로 도착했"), .d("하루 만에 배송됐"), .d("이틀 만에 택배 받았"), .d("발송이 빨라서 금방 받았"),
                .d("주문하고 바로 출고돼서 좋았"), .d("배송 하나는 확실히 빠르", "빨라"),
            ]),
        ],
        complaint: [
            PhraseGroup(
                ["배송이", "배송이 진짜", "택배가", "배송 속도가"],
                [.d("너무 느리", "느려"), .d("너무 늦"), .n("최악"), .d("최악이었"), .n("엉망"), .d("말도 안 되게 느리", "느려")]),
            .clauses([
                .d("주문하고 일주일 넘게 걸려서 도착했"), .d("발송이 계속 지연됐"), .d("출고가 늦어져서 열흘이나 기다렸"),
                .d("택배가 엉뚱한 곳에 가 있었"), .d("배송 조회가 며칠째 그대로였"), .d("배송이 늦어서 필요한 날 못 썼"),
            ]),
        ],
        mildComplaint: [
            PhraseGroup(
                ["배송이", "배송은", "택배가"],
                [.d("조금 늦었"), .d("생각보다 오래 걸렸"), .n("좀 느린 편"), .d("하루 이틀 늦었")]),
            .clauses([.d("도착이 예정보다 하루 늦었"), .d("발송까지 며칠 걸렸")]),
        ])

    static let quality = AspectPhrases(
        praise: [
            PhraseGroup(
                ["품질이", "품질도", "{N} 품질이"],
                [.d("정말 좋"), .d("생각보다 좋"), .d("훌륭하"), .n("최고"), .n("기대 이상")]),
            PhraseGroup(
                ["마감이", "마감 처리가", "재질이", "재질도", "{N} 재질이"],
                [.d("깔끔하"), .d("탄탄하"), .d("고급스럽", "고급스러워"), .d("정말 좋"), .d("튼튼하")], only: durables),
            .clauses(
                [.d("품질 좋고 튼튼하"), .d("마감까지 깔끔하게 잘 만들었"), .d("재질이 좋아서 오래 쓸 것 같")], only: durables),
            .clauses([.a("품질이 좋아서 믿고 먹")], only: ["식품"]),
            .clauses([.a("품질이 좋아서 믿고 쓰", "써")], only: ["화장품"]),
        ],
        complaint: [
            PhraseGroup(
                ["품질이", "{N} 품질이", "품질이 진짜"],
                [.d("너무 안 좋"), .n("최악"), .d("형편없"), .n("엉망")]),
            PhraseGroup(
                ["마감이", "재질이", "마감 처리가", "{N} 재질이"],
                [.d("조잡하"), .n("엉망"), .d("싸구려 같"), .d("너무 허술하")], only: durables),
            .clauses([.d("불량품이 왔"), .d("하자 있는 물건이 왔")]),
            .clauses([.d("며칠 쓰지도 않았는데 망가졌"), .d("한 번 쓰고 부서졌")], only: durables),
            .clauses([.d("상한 게 섞여 있어서 품질이 의심스럽", "의심스러워")], only: ["식품"]),
            .clauses([.a("펌프가 불량이라 내용물이 안 나오", "나와")], only: ["화장품"]),
            .clauses([.d("한 번 빨았더니 실밥이 다 터졌"), .d("한 번 입었는데 솔기가 찢어졌")], only: clothing),
            .clauses([.d("받자마자 고장 났"), .d("일주일 만에 고장 났"), .d("충전이 안 되는 불량이었")], only: devices),
        ],
        mildComplaint: [
            PhraseGroup(
                ["품질이", "{N} 품질이"],
                [.d("조금 아쉽", "아쉬워"), .d("기대보다 조금 떨어지", "떨어져"), .d("살짝 아쉽", "아쉬워"), .n("그냥 그런 편")]),
            PhraseGroup(
                ["마감이", "마감 처리가", "재질이"],
                [.d("조금 아쉽", "아쉬워"), .d("기대보다 조금 떨어지", "떨어져"), .d("살짝 아쉽", "아쉬워")], only: durables),
            .clauses([.d("마감이 덜 돼서 실밥이 조금 나와 있었"), .d("재질이 생각보다 얇")], only: durables),
            .clauses([.d("품질이 예전보다 조금 떨어진 것 같")]),
        ])

    static let sizeFit = AspectPhrases(
        praise: [
            PhraseGroup(["사이즈가", "사이즈도", "치수가"], [.a("딱 맞"), .a("잘 맞"), .d("정확하")], only: wearables),
            PhraseGroup(["핏이"], [.d("예쁘", "예뻐"), .d("딱 좋"), .d("정말 예쁘", "예뻐")], only: wearables),
            .clauses([.d("정사이즈로 시켰는데 딱 맞았"), .a("평소 사이즈대로 주문하면 되")], only: wearables),
        ],
        complaint: [
            PhraseGroup(["사이즈가"], [.d("너무 작"), .d("너무 크", "커"), .a("하나도 안 맞"), .n("엉망")], only: wearables),
            PhraseGroup(["핏이"], [.d("너무 이상하"), .n("완전 별로"), .d("너무 어정쩡하")], only: clothing),
            .clauses(
                [.d("사이즈 표기랑 실제 치수가 완전 다르", "달라"), .d("두 치수나 작게 나왔")], only: wearables),
            .clauses([.a("발볼이 너무 좁아서 사이즈가 안 맞")], only: ["신발"]),
        ],
        mildComplaint: [
            PhraseGroup(
                ["사이즈가", "사이즈는"], [.d("조금 작"), .d("살짝 크", "커"), .n("약간 작은 편"), .n("조금 큰 편")],
                only: wearables),
            PhraseGroup(["핏이"], [.d("생각했던 거랑 조금 다르", "달라")], only: clothing),
            .clauses([.d("길이가 생각보다 조금 짧")], only: clothing),
        ])

    static let price = AspectPhrases(
        praise: [
            PhraseGroup(["가격이", "가격도"], [.d("저렴하"), .d("착하"), .n("합리적")]),
            PhraseGroup(["가성비가", "가성비도"], [.n("최고"), .d("정말 좋"), .d("미쳤")]),
            .clauses([.d("이 가격에 이 정도면 정말 만족스럽", "만족스러워"), .n("가격 대비 최고"), .n("가성비 최고")]),
        ],
        complaint: [
            PhraseGroup(["가격이"], [.d("너무 비싸"), .d("말도 안 되게 비싸")]),
            PhraseGroup(["가성비가", "가성비는"], [.n("최악"), .d("너무 떨어지", "떨어져"), .n("꽝")]),
            .clauses([.d("이 가격 주고 살 물건은 아니", "아니에"), .d("이 가격이면 돈 아깝", "아까워")]),
        ],
        mildComplaint: [
            PhraseGroup(["가격이", "가격은"], [.n("조금 비싼 편"), .d("살짝 비싸"), .d("조금 부담스럽", "부담스러워")]),
            .clauses([.n("가격 대비 평범한 편")]),
        ])

    static let packaging = AspectPhrases(
        praise: [
            PhraseGroup(
                ["포장이", "포장도", "포장 상태가"],
                [.d("꼼꼼하"), .d("깔끔하"), .d("정말 꼼꼼하"), .d("예쁘", "예뻐"), .d("튼튼하"), .n("완벽")]),
            .clauses([.d("뽁뽁이로 꼼꼼하게 포장돼서 왔"), .d("박스도 깨끗하게 왔"), .d("선물용으로 포장해 주셔서 좋았")]),
        ],
        complaint: [
            PhraseGroup(["포장이", "포장 상태가"], [.n("엉망"), .d("너무 허술하"), .n("최악"), .d("성의 없")]),
            .clauses([
                .d("박스가 다 찌그러져서 왔"), .d("상자가 뜯어진 채로 왔"), .d("뽁뽁이 하나 없이 대충 포장해서 보냈"),
                .d("포장이 뜯겨서 내용물이 다 샜"),
            ]),
        ],
        mildComplaint: [
            PhraseGroup(["포장이", "포장은"], [.d("조금 아쉽", "아쉬워"), .d("살짝 허술하"), .d("조금 허술하")]),
            .clauses([.d("박스가 살짝 찌그러져서 왔"), .d("박스 모서리가 조금 눌려서 왔")]),
        ])

    static let service = AspectPhrases(
        praise: [
            PhraseGroup(
                ["판매자분이", "고객센터가", "상담원분이", "고객센터 응대가", "판매자 응대가"],
                [.d("정말 친절하"), .d("친절하"), .n("최고")]),
            PhraseGroup(["문의 답변이", "상담 답변이"], [.d("빠르", "빨라"), .d("정말 빠르", "빨라"), .d("친절하")]),
            .clauses([.d("교환 요청했는데 바로 처리해 주셨"), .d("문의 남겼더니 금방 답변이 왔"), .d("판매자분이 꼼꼼하게 챙겨 주셨")]),
        ],
        complaint: [
            PhraseGroup(["판매자 응대가", "고객센터 응대가", "상담원 태도가"], [.n("최악"), .d("너무 불친절하"), .n("엉망"), .d("너무 무례하")]),
            .clauses([
                .d("문의를 몇 번이나 남겼는데 답변이 없"), .d("고객센터가 하루 종일 연결이 안 됐"), .a("교환 요청을 계속 무시하"),
                .d("환불 요청했는데 일주일째 처리가 안 됐"), .d("반품 접수했는데 연락이 없"),
            ]),
        ],
        mildComplaint: [
            PhraseGroup(["문의 답변이", "상담 답변이"], [.n("조금 느린 편"), .d("하루 지나서 왔")]),
            PhraseGroup(["응대가", "고객센터 응대가"], [.d("조금 사무적이었"), .d("살짝 아쉽", "아쉬워")]),
            .clauses([.d("교환 절차가 좀 번거로웠")]),
        ])

    static let color = AspectPhrases(
        praise: [
            PhraseGroup(
                ["색상이", "색상도", "색깔이", "컬러가"],
                [.d("정말 예쁘", "예뻐"), .d("고급스럽", "고급스러워"), .d("사진이랑 똑같"), .d("화사하"), .d("오묘하고 예쁘", "예뻐")])
        ],
        complaint: [
            PhraseGroup(
                ["색상이", "색깔이", "컬러가"],
                [.d("너무 칙칙하"), .d("완전 촌스럽", "촌스러워"), .d("화면이랑 완전 다르", "달라"), .n("최악")]),
            .clauses([.d("한 번 빨았더니 색이 다 빠졌")], only: washables),
            .clauses([.d("색상이 얼룩덜룩하게 왔")]),
        ],
        mildComplaint: [
            PhraseGroup(
                ["색상이", "색깔이", "컬러가", "색상은"],
                [.d("생각보다 어둡", "어두워"), .d("조금 칙칙하"), .d("화면보다 조금 연하"), .n("살짝 아쉬운 편")])
        ])

    static let mismatch = AspectPhrases(
        praise: [
            PhraseGroup(
                ["실물이", "실물도", "실물은"],
                [.d("훨씬 예쁘", "예뻐"), .d("사진보다 더 예쁘", "예뻐"), .n("사진 그대로"), .d("사진이랑 똑같")]),
            .clauses([.n("상세페이지 설명 그대로"), .d("상세페이지에 나온 그대로 왔")]),
        ],
        complaint: [
            PhraseGroup(["실물이", "실물은"], [.d("사진이랑 너무 다르", "달라"), .n("완전 별로"), .d("사진보다 훨씬 초라하")]),
            .clauses([
                .d("사진과 다른 제품이 왔"), .d("주문한 거랑 다른 상품이 왔"), .d("상세페이지 설명과 완전 다르", "달라"),
                .n("상세페이지랑 딴판"), .d("설명과 다른 물건을 보냈"),
            ]),
        ],
        mildComplaint: [
            PhraseGroup(["실물은", "실물이"], [.d("사진보다 조금 별로였"), .d("사진이랑 살짝 다르", "달라"), .n("사진보다 조금 아쉬운 편")]),
            .clauses([.d("상세페이지 사진이랑 조금 다르", "달라")]),
        ])

    static let smell = AspectPhrases(
        praise: [
            .clauses([.d("잡냄새 없이 깔끔하"), .d("냄새 없이 깔끔하"), .d("은은한 냄새가 좋"), .d("냄새가 향긋하")]),
            .clauses([.d("고소한 냄새가 좋")], only: ["식품"]),
        ],
        complaint: [
            PhraseGroup(["냄새가", "냄새가 진짜", "화학 냄새가"], [.d("너무 심하"), .d("역하", "역해"), .a("지독하게 나")]),
            .clauses([.d("뜯자마자 악취가 진동하"), .d("열자마자 이상한 냄새가 났"), .d("화학약품 냄새 때문에 못 쓰겠")]),
        ],
        mildComplaint: [
            PhraseGroup(["냄새가"], [.a("조금 나"), .d("살짝 거슬리", "거슬려"), .n("조금 나는 편")]),
            .clauses([.d("며칠 지나도 냄새가 조금 남아 있")]),
        ])
}
