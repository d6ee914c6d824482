/// The hand-written clauses that carry a review's overall sentiment without naming an aspect: general
/// verdicts, category-specific remarks (맛있어요, 발이 편해요) and closings (재구매 의사 있어요, 비추해요).
///
/// None of them contains a keyword of `CRM.AspectLexicon.korean`, so a review's aspects are exactly
/// those of its aspect clauses (the tests check this).
enum GeneralPhrases {
    private static let clothing: Set<String> = ["의류"]
    private static let looks: Set<String> = ["의류", "신발", "가방", "주방용품"]

    /// Clear satisfaction, for 4- and 5-star reviews.
    static let praise: [PhraseGroup] = [
        .clauses([
            .n("대박"), .d("정말 만족스럽", "만족스러워"), .a("너무 마음에 들"), .n("최고"), .d("기대 이상이었"),
            .d("진짜 좋"), .n("인생템"), .d("너무 좋"), .d("정말 잘 샀"), .d("받자마자 기분이 좋아졌"),
        ]),
        PhraseGroup(["{N이}", "{N} 진짜"], [.d("너무 예쁘", "예뻐"), .d("정말 예쁘", "예뻐"), .n("딱 제 스타일")], only: looks),
        PhraseGroup(["{N이}"], [.d("편하고 예쁘", "예뻐"), .d("가볍고 편하")], only: ["의류", "신발", "가방"]),
        .clauses([.d("입으니까 태가 정말 예쁘", "예뻐"), .a("매일 입고 다니", "다녀")], only: clothing),
        .clauses([.d("발이 정말 편하"), .d("오래 걸어도 편하"), .d("쿠션감이 좋")], only: ["신발"]),
        .clauses([.d("수납공간이 넉넉하"), .a("어디에나 잘 어울리", "어울려")], only: ["가방"]),
        .clauses([.d("피부가 촉촉해졌"), .d("발림성이 정말 좋"), .d("흡수가 빠르", "빨라"), .d("순해서 자극이 없")], only: ["화장품"]),
        .clauses([.d("정말 맛있"), .d("간이 딱 좋"), .d("신선하고 맛있"), .a("아이들이 너무 잘 먹")], only: ["식품"]),
        .clauses([.d("쓰기 정말 편하"), .d("흡수력이 좋"), .d("살림이 편해졌")], only: ["생활용품"]),
        .clauses([.d("연결이 잘 되고 편하"), .d("음질이 정말 좋"), .a("배터리가 오래가"), .d("설정이 간단하")], only: ["전자기기"]),
        .clauses([.d("요리할 때 정말 편하"), .d("설거지가 쉬워서 좋"), .d("주방이 깔끔해졌")], only: ["주방용품"]),
    ]

    /// Lukewarm satisfaction, for 3- and 4-star reviews.
    static let mildPraise: [PhraseGroup] = [
        .clauses([
            .d("무난하"), .d("괜찮"), .d("쓸 만하"), .d("그럭저럭 괜찮"), .d("나름 만족스럽", "만족스러워"),
            .d("전체적으로 괜찮"), .d("생각했던 대로 괜찮"),
        ]),
        .clauses([.d("맛도 무난하")], only: ["식품"]),
    ]

    /// Clear dissatisfaction, for 1- and 2-star reviews.
    static let complaint: [PhraseGroup] = [
        .clauses([
            .n("최악"), .d("완전 실망했"), .d("돈 버렸"), .a("너무 후회되"), .n("진짜 별로"), .d("받자마자 버렸"),
            .d("정말 실망스럽", "실망스러워"), .n("완전 꽝"),
        ]),
        .clauses([.d("맛이 너무 없"), .d("먹자마자 뱉었")], only: ["식품"]),
        .clauses([.d("바르자마자 트러블이 났"), .d("쓰고 나서 얼굴이 다 뒤집어졌")], only: ["화장품"]),
        .clauses([.a("연결이 자꾸 끊기", "끊겨"), .a("소리가 지직거리", "지직거려")], only: ["전자기기"]),
        .clauses([.d("발이 너무 아프", "아파"), .d("신을 때마다 뒤꿈치가 까졌")], only: ["신발"]),
    ]

    /// Mild dissatisfaction, for 2- and 3-star reviews.
    static let mildComplaint: [PhraseGroup] = [
        .clauses([
            .n("기대보다 별로"), .d("조금 실망했"), .d("생각했던 것보다 별로였"), .d("좀 아쉽", "아쉬워"),
            .d("기대했던 것만큼은 아니", "아니에"), .d("솔직히 좀 실망스럽", "실망스러워"),
        ]),
        .clauses([.d("맛이 좀 싱겁", "싱거워"), .d("생각보다 맛이 밍밍하")], only: ["식품"]),
        .clauses([.a("흡수가 잘 안 되")], only: ["화장품"]),
    ]

    /// Closings of satisfied reviews.
    static let closingPraise: [Predicate] = [
        .d("재구매 의사 있"), .a("추천하"), .a("강력 추천하"), .a("주변에도 추천하"), .a("다음에도 여기서 사"),
    ]

    /// Closings of dissatisfied reviews.
    static let closingComplaint: [Predicate] = [
        .a("다시는 안 사"), .a("비추하"), .d("재구매 의사 없"), .a("절대 비추하"),
    ]

    /// Closings of mildly dissatisfied reviews.
    static let mildClosingComplaint: [Predicate] = [
        .d("재구매는 안 할 것 같"), .d("다음엔 다른 데서 살 것 같"),
    ]

    /// Register-neutral closings of satisfied reviews.
    static let fixedClosingPraise = ["강추!", "번창하세요~", "재구매각", "잘 쓸게요", "또 올게요", "강추합니다!!"]

    /// Register-neutral closings of dissatisfied reviews.
    static let fixedClosingComplaint = ["비추", "절대 사지 마세요", "비추합니다", "다른 분들은 신중하게 고르세요"]

    /// What may follow the last sentence of a satisfied review.
    static let positiveEndings = ["", ".", "!", "!!", "~", " ㅎㅎ", " ㅋㅋ", " ^^", " 👍", " 😊", "~~", " ❤️"]

    /// What may follow the last sentence of a dissatisfied review.
    static let negativeEndings = ["", ".", "...", " ㅠㅠ", " ㅜㅜ", "!!", " 😡", " 👎", " ㅠ"]
}
