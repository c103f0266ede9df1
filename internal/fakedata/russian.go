package fakedata

import (
	"strings"
	"unicode/utf8"
)

var ruMaleFirst = []string{
	"Александр", "Алексей", "Андрей", "Антон", "Аркадий", "Артём", "Богдан", "Борис",
	"Вадим", "Валерий", "Василий", "Виктор", "Виталий", "Владимир", "Владислав",
	"Геннадий", "Георгий", "Глеб", "Григорий", "Даниил", "Денис", "Дмитрий", "Евгений",
	"Егор", "Иван", "Игорь", "Илья", "Кирилл", "Константин", "Лев", "Леонид", "Максим",
	"Матвей", "Михаил", "Никита", "Николай", "Олег", "Павел", "Пётр", "Роман", "Руслан",
	"Семён", "Сергей", "Станислав", "Степан", "Тимофей", "Фёдор", "Юрий", "Ярослав",
}

var ruFemaleFirst = []string{
	"Алёна", "Александра", "Алина", "Анастасия", "Анна", "Валентина", "Вера", "Вероника",
	"Виктория", "Галина", "Дарья", "Евгения", "Екатерина", "Елена", "Елизавета", "Ирина",
	"Кристина", "Ксения", "Любовь", "Людмила", "Маргарита", "Марина", "Мария", "Надежда",
	"Наталья", "Олеся", "Ольга", "Полина", "Светлана", "Софья", "Таисия", "Татьяна",
	"Ульяна", "Юлия", "Яна",
}

// ruLast holds masculine last names; ruFeminine derives the feminine form.
var ruLast = []string{
	"Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
	"Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
	"Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
	"Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов",
	"Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв",
	"Гусев", "Киселёв", "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв",
	"Белов", "Медведев", "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров",
	"Давыдов", "Беляев", "Герасимов", "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов",
	"Марков", "Миронов", "Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов",
	"Гаврилов", "Тихонов", "Казаков", "Афанасьев", "Данилов", "Савельев", "Тимофеев",
	"Фомин", "Чернов", "Абрамов", "Мартынов", "Ефимов", "Щербаков", "Назаров", "Калинин",
	"Исаев", "Чернышёв", "Быков", "Маслов", "Родионов", "Коновалов", "Лазарев", "Воронин",
	"Климов", "Филатов", "Пономарёв", "Голубев", "Кудрявцев", "Прохоров", "Наумов",
	"Журавлёв", "Овчинников", "Трофимов", "Леонов", "Соболев", "Ермаков", "Колесников",
	"Гончаров", "Емельянов", "Никифоров", "Грачёв", "Котов", "Гришин", "Ефремов", "Архипов",
	"Громов", "Кириллов", "Малышев", "Панов", "Моисеев", "Румянцев", "Акимов", "Бирюков",
	"Горбунов", "Галкин", "Лукьянов", "Скворцов", "Юдин", "Белоусов", "Нестеров", "Симонов",
	"Князев", "Цветков", "Левин", "Воронов", "Аксёнов", "Мальцев", "Логинов", "Горшков",
	"Савин", "Краснов", "Демидов", "Рыбаков", "Жданов", "Блинов", "Высоцкий", "Островский",
	"Чайковский", "Толстой", "Шевченко", "Бондаренко", "Черных", "Седых",
}

// ruFeminine returns the feminine form of a masculine Russian last name.
func ruFeminine(last string) string {
	switch {
	case strings.HasSuffix(last, "ский"), strings.HasSuffix(last, "цкий"):
		return strings.TrimSuffix(last, "ий") + "ая"
	case strings.HasSuffix(last, "ый"), strings.HasSuffix(last, "ий"), strings.HasSuffix(last, "ой"):
		_, n := utf8.DecodeLastRuneInString(last) // й
		last = last[:len(last)-n]
		_, n = utf8.DecodeLastRuneInString(last) // ы, и, о
		return last[:len(last)-n] + "ая"
	case strings.HasSuffix(last, "ов"), strings.HasSuffix(last, "ев"), strings.HasSuffix(last, "ёв"),
		strings.HasSuffix(last, "ин"), strings.HasSuffix(last, "ын"):
		return last + "а"
	}
	return last // Шевченко, Черных: indeclinable
}

var ruPatronymicIrregular = map[string][2]string{
	"Павел":  {"Павлович", "Павловна"},
	"Пётр":   {"Петрович", "Петровна"},
	"Лев":    {"Львович", "Львовна"},
	"Михаил": {"Михайлович", "Михайловна"},
	"Илья":   {"Ильич", "Ильинична"},
	"Никита": {"Никитич", "Никитична"},
	"Фома":   {"Фомич", "Фоминична"},
	"Кузьма": {"Кузьмич", "Кузьминична"},
}

func isRuVowel(r rune) bool {
	return strings.ContainsRune("аеёиоуыэюяАЕЁИОУЫЭЮЯ", r)
}

// ruPatronymic derives the patronymic (male, female) from a male first name.
func ruPatronymic(father string) (male, female string) {
	if p, ok := ruPatronymicIrregular[father]; ok {
		return p[0], p[1]
	}
	rs := []rune(father)
	n := len(rs)
	last := rs[n-1]
	var stem, m, f string
	switch {
	case last == 'й' && n >= 3 && rs[n-2] == 'и':
		// -ий: after two consonants -иевич (Дмитрий, Георгий), else -ьевич (Юрий, Василий).
		if !isRuVowel(rs[n-3]) && n >= 4 && !isRuVowel(rs[n-4]) {
			stem, m, f = string(rs[:n-2]), "иевич", "иевна"
		} else {
			stem, m, f = string(rs[:n-2]), "ьевич", "ьевна"
		}
	case last == 'й': // Сергей, Андрей, Николай, Матвей
		stem, m, f = string(rs[:n-1]), "евич", "евна"
	case last == 'ь': // Игорь
		stem, m, f = string(rs[:n-1]), "евич", "евна"
	case strings.ContainsRune("жчшщц", last):
		stem, m, f = father, "евич", "евна"
	case last == 'а' || last == 'я':
		stem, m, f = string(rs[:n-1]), "ич", "ична"
	default:
		stem, m, f = father, "ович", "овна"
	}
	return stem + m, stem + f
}

// icao is the ICAO Doc 9303 transliteration of Russian Cyrillic.
var icao = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts",
	'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "ie", 'ы': "y", 'ь': "", 'э': "e", 'ю': "iu",
	'я': "ia",
}

// Translit transliterates Russian text to Latin with ICAO Doc 9303 (the
// passport system). Upper case letters give a capitalised Latin form.
func Translit(s string) string {
	if isASCII(s) {
		return s // nothing to transliterate
	}
	var b strings.Builder
	for _, r := range s {
		lr := []rune(strings.ToLower(string(r)))[0]
		t, ok := icao[lr]
		if !ok {
			b.WriteRune(r)
			continue
		}
		if lr != r && t != "" {
			t = strings.ToUpper(t[:1]) + t[1:]
		}
		b.WriteString(t)
	}
	return b.String()
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// ruName is a name in precomputed form so that generating a person does
// not allocate strings: cyrV and latV hold cyr and lat already boxed, so
// that the records (map[string]any) of a million people share one
// interface value per distinct name instead of allocating one each.
type ruName struct {
	cyr, lat   string
	cyrV, latV any
}

type ruTables struct {
	male, female []ruName
	lastM, lastF []ruName
	patM, patF   []ruName // indexed like ruMaleFirst
}

var ruData = func() *ruTables {
	t := &ruTables{}
	mk := func(s string) ruName {
		lat := Translit(s)
		return ruName{cyr: s, lat: lat, cyrV: s, latV: lat}
	}
	for _, s := range ruMaleFirst {
		t.male = append(t.male, mk(s))
		m, f := ruPatronymic(s)
		t.patM = append(t.patM, mk(m))
		t.patF = append(t.patF, mk(f))
	}
	for _, s := range ruFemaleFirst {
		t.female = append(t.female, mk(s))
	}
	for _, s := range ruLast {
		t.lastM = append(t.lastM, mk(s))
		t.lastF = append(t.lastF, mk(ruFeminine(s)))
	}
	return t
}()
