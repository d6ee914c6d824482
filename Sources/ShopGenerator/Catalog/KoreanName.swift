/// Korean personal names with their usual romanisation, for fake customer names and e-mail addresses.
enum KoreanName {
    /// Family names with their romanisation and approximate share of the population.
    static let families: [(hangul: String, roman: String, weight: Double)] = [
        ("김", "kim", 21.5), ("이", "lee", 14.7), ("박", "park", 8.4), ("최", "choi", 4.7), ("정", "jung", 4.3),
        ("강", "kang", 2.3), ("조", "cho", 2.1), ("윤", "yoon", 2.1), ("장", "jang", 2.0), ("임", "lim", 1.7),
        ("한", "han", 1.5), ("오", "oh", 1.5), ("서", "seo", 1.5), ("신", "shin", 1.4), ("권", "kwon", 1.4),
        ("황", "hwang", 1.4), ("안", "ahn", 1.3), ("송", "song", 1.3), ("전", "jeon", 1.1), ("홍", "hong", 1.1),
        ("유", "yoo", 1.1), ("고", "ko", 0.9), ("문", "moon", 0.9), ("양", "yang", 0.9), ("손", "son", 0.9),
        ("배", "bae", 0.8), ("백", "baek", 0.8), ("허", "heo", 0.6), ("남", "nam", 0.5), ("노", "noh", 0.5),
    ]

    /// The family names' weights, in ``families`` order.
    static let familyWeights: [Double] = families.map(\.weight)

    /// Common given names of the last decades, with their romanisation.
    static let given: [(hangul: String, roman: String)] = [
        ("민준", "minjun"), ("서준", "seojun"), ("도윤", "doyun"), ("예준", "yejun"), ("시우", "siwoo"),
        ("하준", "hajun"), ("지호", "jiho"), ("주원", "juwon"), ("지후", "jihu"), ("준우", "junwoo"),
        ("현우", "hyunwoo"), ("건우", "geonwoo"), ("우진", "woojin"), ("선우", "sunwoo"), ("유준", "yujun"),
        ("정우", "jungwoo"), ("승우", "seungwoo"), ("민재", "minjae"), ("현준", "hyunjun"), ("지훈", "jihoon"),
        ("성민", "sungmin"), ("동현", "donghyun"), ("상훈", "sanghoon"), ("재영", "jaeyoung"), ("영수", "youngsoo"),
        ("서연", "seoyeon"), ("서윤", "seoyun"), ("지우", "jiwoo"), ("서현", "seohyun"), ("민서", "minseo"),
        ("하은", "haeun"), ("하윤", "hayun"), ("윤서", "yunseo"), ("지유", "jiyu"), ("지민", "jimin"),
        ("채원", "chaewon"), ("수아", "sua"), ("지아", "jia"), ("지윤", "jiyun"), ("은서", "eunseo"),
        ("다은", "daeun"), ("예은", "yeeun"), ("수빈", "subin"), ("소연", "soyeon"), ("유진", "yujin"),
        ("혜진", "hyejin"), ("미영", "miyoung"), ("은정", "eunjung"), ("수진", "sujin"), ("지영", "jiyoung"),
    ]
}
