package knowledge_test

import (
	"fmt"
	"strings"

	"github.com/planbot/planbot/knowledge"
)

func ExampleBase_PartnerOf() {
	kb, err := knowledge.Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	city, _ := kb.LookupPlace("Zhang Jia Jie")
	pair, ok := kb.PartnerOf(city.ID)
	if !ok {
		fmt.Println(city.Name.EN, "is not a key city")
		return
	}
	partner, _ := kb.Place(pair.Partner)
	fmt.Printf("%s is paired with %s (%s, sources %s)\n",
		city.Name.EN, partner.Name.EN, pair.Status, strings.Join(pair.Sources, ", "))
	fmt.Printf("%s和%s结对\n", city.Name.ZH, partner.Name.ZH)
	// Output:
	// Zhangjiajie is paired with Nanjing (seed, sources S3, S7)
	// 张家界市和南京市结对
}

func ExampleBase_KeyCitiesOf() {
	kb, err := knowledge.Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	shenzhen, _ := kb.LookupPlace("深圳")
	for _, pair := range kb.KeyCitiesOf(shenzhen.ID) {
		city, _ := kb.Place(pair.Key)
		fmt.Println(city.Name.EN, pair.Status)
	}
	// Output:
	// Ganzhou C2
	// Shanwei C1
	// Baise C2
}

func ExampleBase_Lookup() {
	kb, err := knowledge.Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"Jian", "宿州", "Shanghai", "大别山", "Atlantis"} {
		found := kb.Lookup(name)
		if len(found) == 0 {
			fmt.Printf("%s: nothing\n", name)
			continue
		}
		for _, a := range found {
			fmt.Printf("%s: %s %s\n", name, a.Kind, a.ID)
		}
	}
	// Output:
	// Jian: place jian
	// 宿州: place suzhou_anhui
	// Shanghai: place shanghai
	// Shanghai: province shanghai
	// 大别山: base area dabie
	// Atlantis: nothing
}

func ExampleBase_LookupPlace() {
	kb, err := knowledge.Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"Suzhou", "宿州", "Changsha"} {
		p, _ := kb.LookupPlace(name)
		fmt.Printf("%s -> %s (%s), role %s\n", name, p.Name.EN, p.Name.ZH, p.Role)
	}
	// Output:
	// Suzhou -> Suzhou (Jiangsu) (苏州市), role partner
	// 宿州 -> Suzhou (Anhui) (宿州市), role other
	// Changsha -> Changsha (长沙市), role other
}

func ExampleBase_Task() {
	kb, err := knowledge.Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	for n := 1; ; n++ {
		task, ok := kb.Task(n)
		if !ok {
			break
		}
		fmt.Println(task.Number, task.Name.ZH)
	}
	// Output:
	// 1 传承弘扬红色文化
	// 2 衔接推进乡村振兴和新型城镇化
	// 3 完善基础设施和基本公共服务
	// 4 促进生态环境保护修复和绿色低碳发展
	// 5 共同建设产业合作平台载体
}

func ExampleBase_Document() {
	kb, err := knowledge.Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	doc := kb.Document()
	fmt.Println(doc.Number.Value)
	fmt.Printf("%d-%d, %d years, %d pairs (%d not known)\n",
		doc.Period.Start, doc.Period.End, doc.Period.Years, doc.Scale.Pairs, kb.UnknownPairs())
	// Output:
	// 发改振兴〔2022〕766号
	// 2022-2030, 8 years, 20 pairs (1 not known)
}

func ExampleAliasKey() {
	for _, name := range []string{"Ji'an", "Ji An", "JIAN", "Lu’an", "张家界市"} {
		fmt.Println(knowledge.AliasKey(name))
	}
	// Output:
	// jian
	// jian
	// jian
	// luan
	// 张家界市
}

func ExampleLoadFile() {
	// A broken override file is refused with the file, entry and field.
	_, err := knowledge.LoadFile("testdata/invalid/bad_status.yaml")
	fmt.Println(err)
	// Output:
	// load facts testdata/invalid/bad_status.yaml: pairs[0] (ganzhou-shenzhen): status: is "C3"; want seed, C2 or C1
}
